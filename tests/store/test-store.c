/* test-store.c: OflStore against a real keyring
 *
 *   test-store --backend=service   gnome-keyring on a private bus (ofl-test-env --keyring)
 *   test-store --backend=file      libsecret's file backend, no D-Bus service at all
 *   test-store --backend=none      a bus without any Secret Service
 *   test-store --backend=hang      a Secret Service that never answers
 *   test-store --backend=prompt    a Secret Service whose prompts never complete
 *
 * Each run gets its own $HOME and XDG dirs from ofl-test-env.
 */

#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "ofl-error.h"
#include "ofl-verifier.h"
#include "ofl-store-private.h"

#define TOKEN_A   "aaaa5b1c2d3e4f5061728394a5b6c7d8e9f0a1b2"
#define TOKEN_B   "bbbb9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e"
#define TOKEN_C   "cccc0a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1"
#define API_URL   "http://127.0.0.1:9/v1"
#define ANNA      "anna@example.com"

static const char *backend = "service";

/* Helpers */

static void
on_ready (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GAsyncResult **slot = user_data;
  *slot = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

/* The five operations, for the tests that run each the same way. */
typedef enum {
  OP_SAVE,
  OP_LOOKUP,
  OP_LIST,
  OP_REMOVE,
  OP_UPDATE,
} Operation;

/* @token is for a save only, @link for all but a list. */
static void
start (OflStore      *store,
       Operation      operation,
       OflLink       *link,
       const char    *token,
       GCancellable  *cancellable,
       GAsyncResult **slot)
{
  switch (operation)
    {
    case OP_SAVE:
      ofl_store_save_async (store, link, token, cancellable, on_ready, slot);
      break;
    case OP_LOOKUP:
      ofl_store_lookup_token_async (store, link, cancellable, on_ready, slot);
      break;
    case OP_LIST:
      ofl_store_list_async (store, cancellable, on_ready, slot);
      break;
    case OP_REMOVE:
      ofl_store_remove_async (store, link, cancellable, on_ready, slot);
      break;
    case OP_UPDATE:
      ofl_store_update_async (store, link, cancellable, on_ready, slot);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Whether @operation succeeded; what it gave back is dropped. */
static gboolean
finish (OflStore      *store,
        Operation      operation,
        GAsyncResult  *result,
        GError       **error)
{
  switch (operation)
    {
    case OP_SAVE:
      return ofl_store_save_finish (store, result, error);
    case OP_LOOKUP:
      {
        g_autoptr(OflSecret) secret = ofl_store_lookup_token_finish (store, result, error);
        return secret != NULL;
      }
    case OP_LIST:
      {
        g_autoptr(GListModel) links = ofl_store_list_finish (store, result, error);
        return links != NULL;
      }
    case OP_REMOVE:
      return ofl_store_remove_finish (store, result, error);
    case OP_UPDATE:
      return ofl_store_update_finish (store, result, error);
    default:
      g_assert_not_reached ();
    }
}

static gboolean
run (OflStore      *store,
     Operation      operation,
     OflLink       *link,
     const char    *token,
     GCancellable  *cancellable,
     GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  start (store, operation, link, token, cancellable, &result);
  return finish (store, operation, wait_for (&result), error);
}

static gboolean
save (OflStore    *store,
      OflLink     *link,
      const char  *token,
      GError     **error)
{
  return run (store, OP_SAVE, link, token, NULL, error);
}

static OflSecret *
lookup (OflStore  *store,
        OflLink   *link,
        GError   **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  start (store, OP_LOOKUP, link, NULL, NULL, &result);
  return ofl_store_lookup_token_finish (store, wait_for (&result), error);
}

static GListModel *
list (OflStore  *store,
      GError   **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  start (store, OP_LIST, NULL, NULL, NULL, &result);
  return ofl_store_list_finish (store, wait_for (&result), error);
}

static gboolean
remove_link (OflStore  *store,
             OflLink   *link,
             GError   **error)
{
  return run (store, OP_REMOVE, link, NULL, NULL, error);
}

static gboolean
update (OflStore  *store,
        OflLink   *link,
        GError   **error)
{
  return run (store, OP_UPDATE, link, NULL, NULL, error);
}

static OflVerification *
make_verification (const char *account_id,
                   const char *account_name,
                   const char *email,
                   const char *user_name)
{
  OflVerification *v = g_new0 (OflVerification, 1);
  OflWorkspace *workspace = g_new0 (OflWorkspace, 1);
  const char *permissions[] = { "contract:create", "contract:read", NULL };

  v->account = g_new0 (OflAccount, 1);
  v->account->id = g_strdup (account_id);
  v->account->name = g_strdup (account_name);
  v->user = g_new0 (OflUser, 1);
  v->user->id = 7;
  v->user->email = g_strdup (email);
  v->user->name = g_strdup (user_name);
  v->user->active = TRUE;
  v->workspaces = g_ptr_array_new_with_free_func ((GDestroyNotify) ofl_workspace_free);
  workspace->id = 11;
  workspace->name = g_strdup ("Sales");
  workspace->permissions = g_strdupv ((char **) permissions);
  g_ptr_array_add (v->workspaces, workspace);

  return v;
}

static OflLink *
make_link (const char *account_id,
           const char *account_name,
           const char *email)
{
  OflVerification *v = make_verification (account_id, account_name, email, "Anna Andersson");
  OflLink *link = ofl_link_new_from_verification (v, API_URL);

  ofl_verification_free (v);
  return link;
}

static char *
details_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "oneflow-link", "links.json", NULL);
}

static char *
read_details (void)
{
  g_autofree char *path = details_path ();
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return g_strdup ("");
  return contents;
}

static guint
count_items (void)
{
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  GList *items;
  guint n;

  items = secret_password_searchv_sync (ofl_store_get_schema (), attributes,
                                        SECRET_SEARCH_ALL, NULL, &error);
  g_assert_no_error (error);
  n = g_list_length (items);
  g_list_free_full (items, g_object_unref);

  return n;
}

/* Every test starts from an empty keyring and no details. */
static void
reset (void)
{
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = details_path ();

  secret_password_clearv_sync (ofl_store_get_schema (), attributes, NULL, &error);
  g_assert_no_error (error);
  g_unlink (path);
  g_assert_cmpuint (count_items (), ==, 0);
}

static void
assert_secret (OflStore   *store,
               OflLink    *link,
               const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OflSecret) secret = lookup (store, link, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, expected);
}

static void
assert_saved (OflStore   *store,
              OflLink    *link,
              const char *token)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (save (store, link, token, &error));
  g_assert_no_error (error);
}

/* The list, which has @n_links links. */
static GListModel *
assert_listed (OflStore *store,
               guint     n_links)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) links = list (store, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (links), ==, n_links);
  return g_steal_pointer (&links);
}

/* Tests */

static void
test_save_lookup_list_remove (void)
{
  g_autoptr(OflStore) store = ofl_store_new ();
  g_autoptr(OflLink) link = make_link ("1001", "Acme AB", ANNA);
  g_autoptr(GListModel) links = NULL;
  g_autoptr(OflLink) listed = NULL;
  g_autoptr(OflSecret) secret = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *details = NULL;

  reset ();

  assert_saved (store, link, TOKEN_A);
  assert_secret (store, link, TOKEN_A);

  links = assert_listed (store, 1);
  listed = g_list_model_get_item (links, 0);
  g_assert_true (ofl_link_same_identity (listed, link));
  g_assert_cmpstr (ofl_link_get_account_name (listed), ==, "Acme AB");
  g_assert_cmpstr (ofl_link_get_user_name (listed), ==, "Anna Andersson");
  g_assert_cmpint (ofl_link_get_status (listed), ==, OFL_LINK_STATUS_OK);
  g_assert_nonnull (ofl_link_get_last_checked (listed));
  g_assert_nonnull (ofl_link_get_last_ok (listed));
  g_assert_cmpuint (ofl_link_get_workspaces (listed)->len, ==, 1);
  g_assert_cmpstr (((OflWorkspace *) ofl_link_get_workspaces (listed)->pdata[0])->permissions[0],
                   ==, "contract:create");
  g_clear_object (&links);

  g_assert_true (remove_link (store, link, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_items (), ==, 0);

  links = assert_listed (store, 0);

  secret = lookup (store, link, &error);
  g_assert_error (error, OFL_ERROR, OFL_ERROR_NO_SUCH_LINK);
  g_assert_null (secret);
  g_clear_error (&error);

  details = read_details ();
  g_assert_null (strstr (details, ANNA));

  /* Removing it again says there is nothing to remove. */
  g_assert_false (remove_link (store, link, &error));
  g_assert_error (error, OFL_ERROR, OFL_ERROR_NO_SUCH_LINK);
}

static void
test_replace_keeps_one (void)
{
  g_autoptr(OflStore) store = ofl_store_new ();
  g_autoptr(OflLink) link = make_link ("1001", "Acme AB", ANNA);
  g_autoptr(OflLink) again = ofl_link_new ("Anna@Example.com", "1001", API_URL);
  g_autoptr(GListModel) links = NULL;

  reset ();

  assert_saved (store, link, TOKEN_A);
  assert_saved (store, again, TOKEN_B);

  g_assert_cmpuint (count_items (), ==, 1);
  assert_secret (store, link, TOKEN_B);

  links = assert_listed (store, 1);
}

static void
test_label_readable_by_secret_tool (void)
{
  g_autoptr(OflStore) store = ofl_store_new ();
  g_autoptr(OflLink) link = make_link ("1001", "Acme AB", ANNA);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *both = NULL;
  gboolean file_backend = g_strcmp0 (backend, "file") == 0;
  int status;
  /* libsecret's file backend keeps the schema name apart from the
   * attributes, so there secret-tool can only match the attributes.
   * With a Secret Service (what a desktop has) the README's command
   * works as written. */
  const char *search[] = { "secret-tool", "search", "--all",
                           "email", ANNA, "account-id", "1001", NULL };
  const char *lookup_argv[] = { "secret-tool", "lookup",
                                "xdg:schema", "org.example.OneflowLink", "email", ANNA, NULL };
  const char *file_lookup_argv[] = { "secret-tool", "lookup", "email", ANNA, NULL };

  g_autofree char *secret_tool = g_find_program_in_path ("secret-tool");

  /* As ofl-test-env: a missing tool fails, unless skipping is allowed. */
  if (secret_tool == NULL)
    {
      if (g_strcmp0 (g_getenv ("OFL_TEST_ALLOW_SKIP"), "1") != 0)
        g_error ("secret-tool is not installed: install libsecret-tools, or set OFL_TEST_ALLOW_SKIP=1");
      g_test_skip ("secret-tool is not installed (libsecret-tools)");
      return;
    }

  reset ();
  assert_saved (store, link, TOKEN_A);

  g_spawn_sync (NULL, (char **) search, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                &out, &err, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  /* secret-tool prints the attributes on stderr. */
  both = g_strconcat (out, err, NULL);
  g_assert_nonnull (strstr (both, "label = Oneflow API token for anna@example.com (Acme AB)\n"));
  g_assert_nonnull (strstr (both, "attribute.account-id = 1001\n"));
  g_assert_nonnull (strstr (both, "attribute.api-url = " API_URL "\n"));
  if (!file_backend)
    g_assert_nonnull (strstr (both, "schema = org.example.OneflowLink\n"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* The README's command gives other tools the token. */
  g_spawn_sync (NULL, (char **) (file_backend ? file_lookup_argv : lookup_argv),
                NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                &out, &err, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_true (g_strcmp0 (out, TOKEN_A) == 0);
}

static void
test_second_account_same_email (void)
{
  g_autoptr(OflStore) store = ofl_store_new ();
  g_autoptr(OflLink) acme = make_link ("1001", "Acme AB", ANNA);
  g_autoptr(OflLink) beta = make_link ("2002", "Beta Oy", ANNA);
  g_autoptr(GListModel) links = NULL;
  g_autoptr(OflLink) first = NULL;
  g_autoptr(OflLink) second = NULL;
  g_autoptr(GError) error = NULL;

  reset ();

  /* Saved out of order: the list sorts by email, then account name. */
  assert_saved (store, beta, TOKEN_B);
  assert_saved (store, acme, TOKEN_A);
  g_assert_cmpuint (count_items (), ==, 2);

  links = assert_listed (store, 2);
  first = g_list_model_get_item (links, 0);
  second = g_list_model_get_item (links, 1);
  g_assert_cmpstr (ofl_link_get_account_name (first), ==, "Acme AB");
  g_assert_cmpstr (ofl_link_get_account_name (second), ==, "Beta Oy");
  g_assert_true (ofl_link_matches (first, "ANNA@example.com", NULL));
  g_assert_true (ofl_link_matches (second, ANNA, "2002"));
  g_assert_false (ofl_link_matches (second, ANNA, "1001"));

  assert_secret (store, acme, TOKEN_A);
  assert_secret (store, beta, TOKEN_B);

  g_assert_true (remove_link (store, acme, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_items (), ==, 1);
  assert_secret (store, beta, TOKEN_B);
}

static void
test_details_without_item (void)
{
  g_autoptr(OflStore) store = ofl_store_new ();
  g_autoptr(OflLink) link = make_link ("1001", "Acme AB", ANNA);
  g_autoptr(GListModel) links = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = details_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *details = NULL;

  reset ();

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path,
                       "{\"version\": 1, \"links\": ["
                       " {\"email\": \"ghost@example.com\", \"account_id\": \"9\","
                       "  \"api_url\": \"" API_URL "\", \"account_name\": \"Ghost Ltd\","
                       "  \"status\": \"ok\"},"
                       " 42, {\"email\": 7}, \"junk\"]}",
                       -1, &error);
  g_assert_no_error (error);

  links = assert_listed (store, 0);
  g_clear_object (&links);

  /* The next write prunes it. */
  assert_saved (store, link, TOKEN_A);
  details = read_details ();
  g_assert_null (strstr (details, "ghost@example.com"));
  g_assert_nonnull (strstr (details, ANNA));

  links = assert_listed (store, 1);
}

static void
test_item_without_details (void)
{
  g_autoptr(OflStore) store = ofl_store_new ();
  g_autoptr(GListModel) links = NULL;
  g_autoptr(OflLink) listed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = details_path ();
  g_autofree char *dir = g_path_get_dirname (path);

  reset ();

  secret_password_store_sync (ofl_store_get_schema (), SECRET_COLLECTION_DEFAULT,
                              "made by another tool", TOKEN_C, NULL, &error,
                              "email", "carl@example.com",
                              "account-id", "1001",
                              "api-url", API_URL,
                              NULL);
  g_assert_no_error (error);

  /* A damaged details file is no worse than none. */
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, "{\"links\": [ {\"email\": \"carl@", -1, &error);
  g_assert_no_error (error);

  links = assert_listed (store, 1);
  listed = g_list_model_get_item (links, 0);
  g_assert_cmpstr (ofl_link_get_email (listed), ==, "carl@example.com");
  g_assert_cmpstr (ofl_link_get_account_id (listed), ==, "1001");
  g_assert_cmpstr (ofl_link_get_api_url (listed), ==, API_URL);
  g_assert_null (ofl_link_get_account_name (listed));
  g_assert_null (ofl_link_get_last_checked (listed));
  g_assert_cmpint (ofl_link_get_status (listed), ==, OFL_LINK_STATUS_UNCHECKED);
  g_assert_cmpuint (ofl_link_get_workspaces (listed)->len, ==, 0);
  assert_secret (store, listed, TOKEN_C);
}

static void
test_update_status (void)
{
  g_autoptr(OflStore) store = ofl_store_new ();
  g_autoptr(OflLink) link = make_link ("1001", "Acme AB", ANNA);
  g_autoptr(OflLink) gone = make_link ("2002", "Beta Oy", ANNA);
  g_autoptr(GListModel) links = NULL;
  g_autoptr(OflLink) listed = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) rejected = g_error_new_literal (OFL_ERROR, OFL_ERROR_TOKEN_REJECTED, "no");

  reset ();

  assert_saved (store, link, TOKEN_A);

  ofl_link_record_check (link, NULL, rejected);
  g_assert_true (update (store, link, &error));
  g_assert_no_error (error);

  links = assert_listed (store, 1);
  listed = g_list_model_get_item (links, 0);
  g_assert_cmpint (ofl_link_get_status (listed), ==, OFL_LINK_STATUS_NEEDS_ATTENTION);
  g_assert_cmpstr (ofl_link_get_problem (listed), ==, "token-rejected");
  g_assert_nonnull (ofl_link_get_last_ok (listed));
  /* The secret is untouched by an update. */
  assert_secret (store, link, TOKEN_A);

  /* Not in the keyring: nothing to update. */
  g_assert_false (update (store, gone, &error));
  g_assert_error (error, OFL_ERROR, OFL_ERROR_NO_SUCH_LINK);
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *contents = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;
  /* The keyring files are binary: no strstr(). */
  for (gsize i = 0; i + strlen (needle) <= length; i++)
    if (memcmp (contents + i, needle, strlen (needle)) == 0)
      return TRUE;
  return FALSE;
}

static void
scan_for (const char *dir_path,
          const char *needle,
          guint      *n_files)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      GStatBuf buf;

      if (g_lstat (path, &buf) != 0)
        continue;
      if (S_ISDIR (buf.st_mode))
        scan_for (path, needle, n_files);
      else if (S_ISREG (buf.st_mode))
        {
          (*n_files)++;
          if (file_contains (path, needle))
            g_error ("%s holds a token in plain text", path);
        }
    }
}

static void
test_no_token_in_files (void)
{
  g_autoptr(OflStore) store = ofl_store_new ();
  g_autoptr(OflLink) link = make_link ("1001", "Acme AB", ANNA);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = details_path ();
  const char *root = g_getenv ("OFL_TEST_ROOT");
  GStatBuf buf;
  guint n_files = 0;

  reset ();

  assert_saved (store, link, TOKEN_A);
  g_assert_true (update (store, link, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_false (file_contains (path, TOKEN_A));
  g_assert_cmpint (g_stat (path, &buf), ==, 0);
  g_assert_cmpint (buf.st_mode & 0777, ==, 0600);

  /* Everything this run wrote: the keyring files are encrypted. */
  g_assert_nonnull (root);
  scan_for (root, TOKEN_A, &n_files);
  g_assert_cmpuint (n_files, >=, 2);
}

/* A caller that cancels gets GIO's own error from every operation,
 * and nothing is left behind. */
static void
test_cancelled (void)
{
  static const Operation operations[] = { OP_LIST, OP_SAVE, OP_LOOKUP, OP_REMOVE, OP_UPDATE };
  g_autoptr(OflStore) store = ofl_store_new ();
  g_autoptr(OflLink) link = make_link ("1001", "Acme AB", ANNA);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *path = details_path ();

  reset ();
  g_cancellable_cancel (cancellable);

  for (guint i = 0; i < G_N_ELEMENTS (operations); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("Operation %d", operations[i]);
      g_assert_false (run (store, operations[i], link, TOKEN_A, cancellable, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    }

  g_assert_cmpuint (count_items (), ==, 0);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

/* Details that cannot be written (here their folder is a file, which
 * stops root as well as a full disk would): the save fails, says why,
 * and the keyring is not touched. */
static void
test_details_not_writable (void)
{
  g_autofree char *blocker = g_build_filename (g_get_user_data_dir (), "blocker", NULL);
  g_autofree char *path = g_build_filename (blocker, "links.json", NULL);
  g_autoptr(OflStore) blocked = NULL;
  g_autoptr(OflStore) store = ofl_store_new ();
  g_autoptr(OflLink) link = make_link ("1001", "Acme AB", ANNA);
  g_autoptr(OflSecret) secret = NULL;
  g_autoptr(GError) error = NULL;

  reset ();
  g_assert_true (g_file_set_contents (blocker, "", 0, NULL));
  blocked = ofl_store_new_for_details_path (path);

  g_assert_false (save (blocked, link, TOKEN_A, &error));
  g_assert_error (error, OFL_ERROR, OFL_ERROR_DETAILS_NOT_SAVED);
  g_assert_cmpstr (ofl_error_get_nick (error), ==, "details-not-saved");
  g_assert_cmpint (ofl_error_get_kind (error), ==, OFL_ERROR_KIND_KEYRING);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "keyring was not changed"));
  g_clear_error (&error);

  secret = lookup (store, link, &error);
  g_assert_null (secret);
  g_assert_error (error, OFL_ERROR, OFL_ERROR_NO_SUCH_LINK);

  g_unlink (blocker);
}

/* The id of the store's wait for the details lock: the timer it
 * attaches to this thread's main context after a try that failed, named
 * "[oneflow-link] details lock"; 0 when there is none. */
static guint
find_lock_wait (void)
{
  GSource *probe = g_idle_source_new ();
  guint newest = g_source_attach (probe, NULL);

  /* Ids are given out in order: the store's are below this one. */
  g_source_destroy (probe);
  g_source_unref (probe);
  for (guint id = newest - 1; id > 0; id--)
    {
      GSource *source = g_main_context_find_source_by_id (NULL, id);

      if (source != NULL && g_strcmp0 (g_source_get_name (source), "[oneflow-link] details lock") == 0)
        return id;
    }
  return 0;
}

/* Runs the main loop until the store waits on the lock with a timer
 * other than @previous: one more try has failed. */
static guint
wait_for_failed_lock_try (guint previous)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  guint id;

  while ((id = find_lock_wait ()) == 0 || id == previous)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  return id;
}

/* Another process holding the details lock (issue 18): a save waits for
 * it with the main loop running, goes on once it is released, and gives
 * up with its own message when it is held past the bound, with the
 * keyring untouched. */
static void
test_details_lock (void)
{
  g_autoptr(OflStore) store = ofl_store_new ();
  g_autoptr(OflLink) link = make_link ("1001", "Acme AB", ANNA);
  g_autofree char *path = details_path ();
  g_autofree char *lock_path = g_strconcat (path, ".lock", NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GAsyncResult) waited = NULL;
  g_autoptr(GAsyncResult) gave_up = NULL;
  g_autoptr(GError) error = NULL;
  int fd;

  reset ();
  ofl_store_set_timeout (store, 1);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  /* An open file description of its own: its flock () conflicts with
   * the store's as another process's would. */
  fd = g_open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (flock (fd, LOCK_EX), ==, 0);

  ofl_store_save_async (store, link, TOKEN_A, NULL, on_ready, &waited);
  /* Two tries have failed, with the main loop running between them,
   * and the save still waits. */
  wait_for_failed_lock_try (wait_for_failed_lock_try (0));
  g_assert_null (waited);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  g_assert_cmpint (flock (fd, LOCK_UN), ==, 0);
  g_assert_true (ofl_store_save_finish (store, wait_for (&waited), &error));
  g_assert_no_error (error);
  assert_secret (store, link, TOKEN_A);

  /* Held for good: the save gives up after the bound (the keyring's
   * time-out, its grace and a margin: 8 s here). */
  g_assert_cmpint (flock (fd, LOCK_EX), ==, 0);
  ofl_store_save_async (store, link, TOKEN_B, NULL, on_ready, &gave_up);
  g_assert_false (ofl_store_save_finish (store, wait_for (&gave_up), &error));
  g_assert_error (error, OFL_ERROR, OFL_ERROR_DETAILS_NOT_SAVED);
  g_assert_nonnull (strstr (error->message, "another Oneflow Link kept it locked"));
  g_assert_nonnull (strstr (error->message, "keyring was not changed"));
  assert_secret (store, link, TOKEN_A);

  close (fd);
}

/* A locked keyring whose unlock prompt cannot be shown (no display) or
 * is dismissed: the keyring error, never "no such link". */
static void
test_locked_keyring (void)
{
  g_autoptr(OflStore) store = ofl_store_new ();
  g_autoptr(OflLink) link = make_link ("1001", "Acme AB", ANNA);
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GListModel) links = NULL;
  g_autoptr(OflSecret) secret = NULL;
  g_autoptr(GError) error = NULL;
  GList *collections;

  reset ();
  assert_saved (store, link, TOKEN_A);

  service = secret_service_get_sync (SECRET_SERVICE_LOAD_COLLECTIONS, NULL, &error);
  g_assert_no_error (error);
  collections = secret_service_get_collections (service);
  secret_service_lock_sync (service, collections, NULL, NULL, &error);
  g_list_free_full (collections, g_object_unref);
  g_assert_no_error (error);

  ofl_store_set_timeout (store, 5);

  secret = lookup (store, link, &error);
  g_assert_null (secret);
  g_assert_error (error, OFL_ERROR, OFL_ERROR_KEYRING);
  g_clear_error (&error);

  /* Attributes stay readable: the list still works. */
  links = assert_listed (store, 1);

  g_assert_false (save (store, link, TOKEN_B, &error));
  g_assert_error (error, OFL_ERROR, OFL_ERROR_KEYRING);
}

/* No Secret Service, or one that hangs: one clear error, soon, and no
 * file anywhere. */
static void
test_unavailable (void)
{
  static const Operation operations[] = { OP_SAVE, OP_LIST, OP_LOOKUP, OP_REMOVE, OP_UPDATE };
  g_autoptr(OflStore) store = ofl_store_new ();
  g_autoptr(OflLink) link = make_link ("1001", "Acme AB", ANNA);
  g_autofree char *path = details_path ();
  const char *root = g_getenv ("OFL_TEST_ROOT");
  gint64 began = g_get_monotonic_time ();
  guint n_files = 0;

  ofl_store_set_timeout (store, 1);

  for (guint i = 0; i < G_N_ELEMENTS (operations); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("Operation %d", operations[i]);
      g_assert_false (run (store, operations[i], link, TOKEN_A, NULL, &error));
      g_assert_error (error, OFL_ERROR, OFL_ERROR_KEYRING);
      g_assert_true (g_str_has_prefix (error->message, "Could not reach the keyring"));
      g_assert_nonnull (strstr (error->message, "flatpak override --talk-name=org.freedesktop.secrets"));
      g_assert_null (strstr (error->message, "\n"));
    }

  /* Five calls, each bounded by the one-second timeout at worst. */
  g_assert_cmpint (g_get_monotonic_time () - began, <, 8 * G_USEC_PER_SEC);

  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_nonnull (root);
  scan_for (root, TOKEN_A, &n_files);
}

/* A Secret Service that takes the name and never answers. */
static GDBusMessage *
drop_method_calls (GDBusConnection *connection,
                   GDBusMessage    *message,
                   gboolean         incoming,
                   gpointer         user_data)
{
  if (incoming && g_dbus_message_get_message_type (message) == G_DBUS_MESSAGE_TYPE_METHOD_CALL)
    {
      g_object_unref (message);
      return NULL;
    }
  return message;
}

/* Takes the Secret Service's name on a connection of its own, whose
 * method calls all go to @filter. */
static GDBusConnection *
take_secrets_name (GDBusMessageFilterFunction filter,
                   gpointer                   user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, &error);
  GDBusConnection *connection;
  GVariant *reply;

  g_assert_no_error (error);
  connection = g_dbus_connection_new_for_address_sync (address,
                                                       G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                       G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                       NULL, NULL, &error);
  g_assert_no_error (error);

  reply = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", "org.freedesktop.secrets", 0),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                       NULL, &error);
  g_assert_no_error (error);
  g_variant_unref (reply);

  g_dbus_connection_add_filter (connection, filter, user_data, NULL);

  return connection;
}

static GDBusConnection *
start_hanging_service (void)
{
  return take_secrets_name (drop_method_calls, NULL);
}

/* A Secret Service whose every change needs a prompt that never
 * completes, not even when dismissed: what gnome-keyring does while its
 * own unlock dialog waits on a person, or on a prompter that hangs.
 * libsecret 0.20 dismisses a prompt when cancelled and then waits for
 * its Completed signal, so without the store's guard the call would
 * never come back. Method calls are answered from a thread of its own:
 * a GDBus filter must not send. */

#define PROMPT_PATH "/org/freedesktop/secrets/prompt/p1"
#define ITEM_PATH   "/org/freedesktop/secrets/collection/login/1"

typedef struct {
  GDBusConnection *connection;
  GAsyncQueue     *calls;
  GThread         *thread;
  gint             n_prompts;
  gint             n_dismissed;
  /* Whether searches find the item unlocked (deleting it then prompts)
   * or locked (reading it then prompts to unlock). */
  gint             item_unlocked;
  /* Instead: store an item, then die before answering, as a killed
   * gnome-keyring can (issue 18). */
  gboolean         dies_after_storing;
  gint             n_stored;
} PromptService;

static PromptService prompt_service;

static GDBusMessage *
queue_method_calls (GDBusConnection *connection,
                    GDBusMessage    *message,
                    gboolean         incoming,
                    gpointer         user_data)
{
  PromptService *service = user_data;

  if (incoming && g_dbus_message_get_message_type (message) == G_DBUS_MESSAGE_TYPE_METHOD_CALL)
    {
      g_async_queue_push (service->calls, message);
      return NULL;
    }
  return message;
}

static GDBusMessage *
answer_prompt_call (PromptService *service,
                    GDBusMessage  *call)
{
  const char *member = g_dbus_message_get_member (call);
  GVariant *body = g_dbus_message_get_body (call);
  GDBusMessage *reply = g_dbus_message_new_method_reply (call);

  if (g_strcmp0 (member, "OpenSession") == 0)
    {
      const char *algorithm = NULL;

      g_variant_get_child (body, 0, "&s", &algorithm);
      if (g_strcmp0 (algorithm, "plain") != 0)
        {
          g_object_unref (reply);
          return g_dbus_message_new_method_error (call, "org.freedesktop.DBus.Error.NotSupported",
                                                  "Only plain sessions");
        }
      g_dbus_message_set_body (reply, g_variant_new ("(vo)", g_variant_new_string (""),
                                                      "/org/freedesktop/secrets/session/s1"));
    }
  else if (g_strcmp0 (member, "CreateItem") == 0 && service->dies_after_storing)
    {
      g_atomic_int_inc (&service->n_stored);
      g_object_unref (reply);
      return NULL;
    }
  else if (g_strcmp0 (member, "CreateItem") == 0)
    g_dbus_message_set_body (reply, g_variant_new ("(oo)", "/", PROMPT_PATH));
  else if (g_strcmp0 (member, "SearchItems") == 0)
    {
      const char *found[] = { ITEM_PATH, NULL };
      const char *none[] = { NULL };

      if (g_atomic_int_get (&service->item_unlocked))
        g_dbus_message_set_body (reply, g_variant_new ("(^ao^ao)", found, none));
      else
        g_dbus_message_set_body (reply, g_variant_new ("(^ao^ao)", none, found));
    }
  else if (g_strcmp0 (member, "Unlock") == 0)
    g_dbus_message_set_body (reply, g_variant_new ("(^aoo)", (const char *[]) { NULL }, PROMPT_PATH));
  else if (g_strcmp0 (member, "Delete") == 0)
    g_dbus_message_set_body (reply, g_variant_new ("(o)", PROMPT_PATH));
  else if (g_strcmp0 (member, "Prompt") == 0)
    g_atomic_int_inc (&service->n_prompts);
  else if (g_strcmp0 (member, "Dismiss") == 0)
    g_atomic_int_inc (&service->n_dismissed);
  else if (g_strcmp0 (member, "GetAll") == 0)
    g_dbus_message_set_body (reply, g_variant_new_parsed ("(@a{sv} {},)"));
  else
    {
      g_object_unref (reply);
      return g_dbus_message_new_method_error (call, "org.freedesktop.DBus.Error.UnknownMethod",
                                              "Not in this fake: %s", member);
    }

  return reply;
}

static gpointer
prompt_service_thread (gpointer user_data)
{
  PromptService *service = user_data;

  for (;;)
    {
      g_autoptr(GDBusMessage) call = g_async_queue_pop (service->calls);
      g_autoptr(GDBusMessage) reply = NULL;

      reply = answer_prompt_call (service, call);
      if (reply == NULL)
        {
          /* Gone: the bus tells the caller no reply will come. */
          g_dbus_connection_close_sync (service->connection, NULL, NULL);
          break;
        }
      g_dbus_connection_send_message (service->connection, reply,
                                      G_DBUS_SEND_MESSAGE_FLAGS_NONE, NULL, NULL);
    }

  return NULL;
}

static void
start_prompt_service (gboolean dies_after_storing)
{
  PromptService *service = &prompt_service;

  service->dies_after_storing = dies_after_storing;
  service->calls = g_async_queue_new ();
  service->connection = take_secrets_name (queue_method_calls, service);
  service->thread = g_thread_new ("prompt-service", prompt_service_thread, service);
}

static gboolean
on_deadline (gpointer user_data)
{
  gboolean *passed = user_data;

  *passed = TRUE;
  return G_SOURCE_REMOVE;
}

/* wait_for(), but failing the test instead of hanging. */
static GAsyncResult *
wait_at_most (GAsyncResult **slot,
              guint          seconds)
{
  gboolean passed = FALSE;
  guint deadline = g_timeout_add_seconds (seconds, on_deadline, &passed);

  while (*slot == NULL && !passed)
    g_main_context_iteration (NULL, TRUE);

  if (*slot == NULL)
    g_error ("The store did not answer within %u s (prompts %d, dismissed %d)", seconds,
             g_atomic_int_get (&prompt_service.n_prompts), g_atomic_int_get (&prompt_service.n_dismissed));

  g_source_remove (deadline);
  return *slot;
}

typedef struct {
  GCancellable *cancellable;
  gint          n_prompts_before;
} CancelWhenPrompting;

static gboolean
cancel_when_prompting (gpointer user_data)
{
  CancelWhenPrompting *cancel = user_data;

  if (g_atomic_int_get (&prompt_service.n_prompts) == cancel->n_prompts_before)
    return G_SOURCE_CONTINUE;

  g_cancellable_cancel (cancel->cancellable);
  return G_SOURCE_REMOVE;
}

/* Every call that needs a prompt ends soon after the time-out, or after
 * the caller cancels, even though the prompt never completes; and a save
 * that did not happen leaves no details behind. */
static void
test_stuck_prompt (void)
{
  /* The service says the item is unlocked for the remove only, so that
   * its clear reaches a prompt too. */
  static const struct {
    Operation operation;
    gboolean  item_unlocked;
  } calls[] = {
    { OP_SAVE, FALSE },
    { OP_LOOKUP, FALSE },
    { OP_REMOVE, TRUE },
  };
  g_autoptr(OflStore) store = ofl_store_new ();
  g_autoptr(OflLink) link = make_link ("1001", "Acme AB", ANNA);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) cancelled = NULL;
  CancelWhenPrompting cancel;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = details_path ();

  ofl_store_set_timeout (store, 1);

  for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
    {
      g_autoptr(GAsyncResult) result = NULL;

      g_test_message ("Operation %d", calls[i].operation);
      g_atomic_int_set (&prompt_service.item_unlocked, calls[i].item_unlocked);
      start (store, calls[i].operation, link, TOKEN_A, NULL, &result);
      g_assert_false (finish (store, calls[i].operation, wait_at_most (&result, 20), &error));
      g_assert_error (error, OFL_ERROR, OFL_ERROR_KEYRING);
      g_clear_error (&error);
      g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
    }

  /* Each of the three reached its prompt, and libsecret dismissed it. */
  g_assert_cmpint (g_atomic_int_get (&prompt_service.n_prompts), ==, 3);
  g_assert_cmpint (g_atomic_int_get (&prompt_service.n_dismissed), ==, 3);

  /* Closing the window while the prompt is up. */
  ofl_store_set_timeout (store, 600);
  cancel.cancellable = cancellable;
  cancel.n_prompts_before = g_atomic_int_get (&prompt_service.n_prompts);
  g_timeout_add (10, cancel_when_prompting, &cancel);
  ofl_store_save_async (store, link, TOKEN_B, cancellable, on_ready, &cancelled);
  g_assert_false (ofl_store_save_finish (store, wait_at_most (&cancelled, 20), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

/* The keyring dies with a new link's store call on its way, after it
 * stored the item (issue 18): the store cannot know which, so it says
 * the link may or may not have been saved, and keeps the new link's
 * details, so that the link the keyring holds is whole. Before, it said
 * "not saved" and removed them: a token without details. */
static void
test_keyring_dies_after_storing (void)
{
  g_autoptr(OflStore) store = ofl_store_new ();
  g_autoptr(OflLink) link = make_link ("1001", "Acme AB", ANNA);
  g_autoptr(GAsyncResult) saved = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = details_path ();
  g_autofree char *details = NULL;

  ofl_store_save_async (store, link, TOKEN_A, NULL, on_ready, &saved);
  g_assert_false (ofl_store_save_finish (store, wait_at_most (&saved, 20), &error));
  g_assert_error (error, OFL_ERROR, OFL_ERROR_KEYRING);
  g_assert_nonnull (strstr (error->message, "may or may not have been saved"));
  g_assert_cmpint (g_atomic_int_get (&prompt_service.n_stored), ==, 1);

  g_assert_true (g_file_get_contents (path, &details, NULL, NULL));
  g_assert_nonnull (strstr (details, ANNA));
  g_assert_nonnull (strstr (details, "Acme AB"));
  g_assert_null (strstr (details, TOKEN_A));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GDBusConnection) hanging = NULL;

  g_test_init (&argc, &argv, NULL);

  for (int i = 1; i < argc; i++)
    if (g_str_has_prefix (argv[i], "--backend="))
      backend = argv[i] + strlen ("--backend=");

  if (g_strcmp0 (backend, "file") == 0)
    {
      g_autofree char *keyring = g_build_filename (g_getenv ("OFL_TEST_ROOT") ?: g_get_tmp_dir (),
                                                   "keyring", NULL);

      /* Before libsecret picks a backend. */
      g_setenv ("SECRET_BACKEND", "file", TRUE);
      g_setenv ("SECRET_FILE_TEST_PATH", keyring, TRUE);
      g_setenv ("SECRET_FILE_TEST_PASSWORD", "test", TRUE);
    }

  if (g_strcmp0 (backend, "prompt") == 0)
    {
      start_prompt_service (FALSE);
      g_test_add_func ("/store/stuck-prompt", test_stuck_prompt);
      return g_test_run ();
    }

  if (g_strcmp0 (backend, "dying") == 0)
    {
      start_prompt_service (TRUE);
      g_test_add_func ("/store/keyring-dies-after-storing", test_keyring_dies_after_storing);
      return g_test_run ();
    }

  if (g_strcmp0 (backend, "none") == 0 || g_strcmp0 (backend, "hang") == 0)
    {
      if (g_strcmp0 (backend, "hang") == 0)
        hanging = start_hanging_service ();
      g_test_add_func ("/store/unavailable", test_unavailable);
      return g_test_run ();
    }

  g_test_add_func ("/store/save-lookup-list-remove", test_save_lookup_list_remove);
  g_test_add_func ("/store/replace-keeps-one", test_replace_keeps_one);
  g_test_add_func ("/store/label-readable-by-secret-tool", test_label_readable_by_secret_tool);
  g_test_add_func ("/store/second-account-same-email", test_second_account_same_email);
  g_test_add_func ("/store/details-without-item", test_details_without_item);
  g_test_add_func ("/store/item-without-details", test_item_without_details);
  g_test_add_func ("/store/update-status", test_update_status);
  g_test_add_func ("/store/no-token-in-files", test_no_token_in_files);
  g_test_add_func ("/store/cancelled", test_cancelled);
  g_test_add_func ("/store/details-not-writable", test_details_not_writable);
  g_test_add_func ("/store/details-lock", test_details_lock);
  /* Only a Secret Service can be locked. Last: it leaves it locked. */
  if (g_strcmp0 (backend, "service") == 0)
    g_test_add_func ("/store/locked-keyring", test_locked_keyring);

  return g_test_run ();
}
