/* test-links.c: the link service, against the fake Oneflow server and a
 * real gnome-keyring on a private bus (ofl-test-env --keyring) */

#include "config.h"

#include <string.h>

#include "ofl-client.h"
#include "ofl-error.h"
#include "ofl-fake-server.h"
#include "ofl-links.h"

static OflFakeServer *server;

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

/* A service over the keyring as it is now, loaded. */
static OflLinks *
new_links (void)
{
  OflLinks *links = ofl_links_new (NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  ofl_links_load_async (links, NULL, on_ready, &result);
  g_assert_true (ofl_links_load_finish (links, wait_for (&result), &error));
  g_assert_no_error (error);

  return links;
}

static OflLinkResult *
link_with (OflLinks    *links,
           const char  *token,
           const char  *email,
           OflLink     *relink,
           gboolean     allow_other_account,
           GError     **error)
{
  g_autoptr(OflClient) client = NULL;
  g_autoptr(OflVerifier) verifier = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  client = ofl_client_new (ofl_fake_server_get_url (server), 20, NULL);
  g_assert_nonnull (client);
  verifier = ofl_verifier_new (client);
  ofl_links_link_async (links, verifier, token, email, relink, allow_other_account, NULL, on_ready, &result);
  return ofl_links_link_finish (links, wait_for (&result), error);
}

static OflSecret *
lookup (OflLinks  *links,
        OflLink   *link,
        GError   **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ofl_links_lookup_token_async (links, link, NULL, on_ready, &result);
  return ofl_links_lookup_token_finish (links, wait_for (&result), error);
}

static guint
n_links (OflLinks *links)
{
  return g_list_model_get_n_items (ofl_links_get_model (links));
}

static OflLink *
nth_link (OflLinks *links,
          guint     i)
{
  g_autoptr(OflLink) link = g_list_model_get_item (ofl_links_get_model (links), i);

  return link;  /* borrowed: the model keeps it */
}

/* Every test starts with an empty keyring and the built-in fixture. */
static void
forget_everything (void)
{
  g_autoptr(OflLinks) links = new_links ();

  while (n_links (links) > 0)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;

      ofl_links_unlink_async (links, nth_link (links, 0), NULL, on_ready, &result);
      g_assert_true (ofl_links_unlink_finish (links, wait_for (&result), &error));
    }

  ofl_fake_server_reset_faults (server);
}

static void
count_cb (gpointer  instance,
          gpointer  arg1,
          gpointer  arg2,
          guint    *count)
{
  (*count)++;
}

static void
count_one_cb (gpointer  instance,
              gpointer  arg1,
              guint    *count)
{
  (*count)++;
}

static void
test_link (void)
{
  g_autoptr(OflLinks) links = NULL;
  g_autoptr(OflLinkResult) linked = NULL;
  g_autoptr(OflLinkResult) refused = NULL;
  g_autoptr(OflSecret) token = NULL;
  g_autoptr(GError) error = NULL;
  guint n_linked = 0;

  forget_everything ();
  links = new_links ();
  g_signal_connect (links, "linked", G_CALLBACK (count_cb), &n_linked);

  linked = link_with (links, OFL_FAKE_TOKEN_ACME, OFL_FAKE_EMAIL_ANNA, NULL, FALSE, &error);
  g_assert_no_error (error);
  g_assert_null (linked->replaced);
  g_assert_cmpstr (ofl_link_get_account_id (linked->link), ==, OFL_FAKE_ACCOUNT_ACME_ID);
  g_assert_cmpint (ofl_link_get_status (linked->link), ==, OFL_LINK_STATUS_OK);
  g_assert_cmpuint (n_links (links), ==, 1);
  g_assert_true (nth_link (links, 0) == linked->link);
  g_assert_cmpuint (n_linked, ==, 1);

  token = lookup (links, linked->link, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, OFL_FAKE_TOKEN_ACME);

  /* A token Oneflow refuses is not kept, and nothing else changes. */
  ofl_fake_server_revoke_token (server, OFL_FAKE_TOKEN_ACME_NEW);
  refused = link_with (links, OFL_FAKE_TOKEN_ACME_NEW, OFL_FAKE_EMAIL_CARL, NULL, FALSE, &error);
  g_assert_null (refused);
  g_assert_error (error, OFL_ERROR, OFL_ERROR_TOKEN_REJECTED);
  g_assert_cmpuint (n_links (links), ==, 1);
  g_assert_cmpuint (n_linked, ==, 1);

  /* Another process sees the same: the keyring holds one link. */
  {
    g_autoptr(OflLinks) again = new_links ();

    g_assert_cmpuint (n_links (again), ==, 1);
  }
}

/* Re-linking with another account's token is refused by name, and the
 * link being repaired keeps its token; asked to, the token becomes a link
 * of its own beside it. */
static void
test_relink_other_account (void)
{
  g_autoptr(OflLinks) links = NULL;
  g_autoptr(OflLinkResult) anna = NULL;
  g_autoptr(OflLinkResult) refused = NULL;
  g_autoptr(OflLinkResult) separate = NULL;
  g_autoptr(OflSecret) token = NULL;
  g_autoptr(GError) error = NULL;

  forget_everything ();
  links = new_links ();
  anna = link_with (links, OFL_FAKE_TOKEN_ACME, OFL_FAKE_EMAIL_ANNA, NULL, FALSE, &error);
  g_assert_no_error (error);

  refused = link_with (links, OFL_FAKE_TOKEN_BETA, OFL_FAKE_EMAIL_ANNA, anna->link, FALSE, &error);
  g_assert_null (refused);
  g_assert_error (error, OFL_ERROR, OFL_ERROR_OTHER_ACCOUNT);
  g_assert_nonnull (strstr (error->message, OFL_FAKE_ACCOUNT_BETA));
  g_assert_nonnull (strstr (error->message, OFL_FAKE_ACCOUNT_ACME));
  g_clear_error (&error);
  g_assert_cmpuint (n_links (links), ==, 1);
  token = lookup (links, anna->link, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, OFL_FAKE_TOKEN_ACME);

  separate = link_with (links, OFL_FAKE_TOKEN_BETA, OFL_FAKE_EMAIL_ANNA, anna->link, TRUE, &error);
  g_assert_no_error (error);
  g_assert_null (separate->replaced);
  g_assert_cmpstr (ofl_link_get_account_id (separate->link), ==, OFL_FAKE_ACCOUNT_BETA_ID);
  g_assert_cmpuint (n_links (links), ==, 2);
}

/* Re-linking with another user of the same account replaces the link:
 * the old one goes once the new one is saved. */
static void
test_relink_other_user (void)
{
  g_autoptr(OflLinks) links = NULL;
  g_autoptr(OflLinkResult) anna = NULL;
  g_autoptr(OflLinkResult) carl = NULL;
  g_autoptr(OflSecret) token = NULL;
  g_autoptr(GError) error = NULL;

  forget_everything ();
  links = new_links ();
  anna = link_with (links, OFL_FAKE_TOKEN_ACME, OFL_FAKE_EMAIL_ANNA, NULL, FALSE, &error);
  g_assert_no_error (error);

  carl = link_with (links, OFL_FAKE_TOKEN_ACME, OFL_FAKE_EMAIL_CARL, anna->link, FALSE, &error);
  g_assert_no_error (error);
  g_assert_true (carl->replaced == anna->link);
  g_assert_cmpuint (n_links (links), ==, 1);
  g_assert_cmpstr (ofl_link_get_email (nth_link (links, 0)), ==, OFL_FAKE_EMAIL_CARL);

  token = lookup (links, anna->link, &error);
  g_assert_null (token);
  g_assert_error (error, OFL_ERROR, OFL_ERROR_NO_SUCH_LINK);
}

/* Every link at once, each with its own verdict, in model order. */
static void
test_check_all (void)
{
  g_autoptr(OflLinks) links = NULL;
  g_autoptr(OflLinks) fresh = NULL;
  g_autoptr(OflLinkResult) anna = NULL;
  g_autoptr(OflLinkResult) dora = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) outcomes = NULL;
  g_autoptr(GError) error = NULL;
  OflCheckOutcome *first, *second;
  guint n_checked = 0;

  forget_everything ();
  links = new_links ();
  anna = link_with (links, OFL_FAKE_TOKEN_ACME, OFL_FAKE_EMAIL_ANNA, NULL, FALSE, &error);
  g_assert_no_error (error);
  dora = link_with (links, OFL_FAKE_TOKEN_BETA, OFL_FAKE_EMAIL_DORA, NULL, FALSE, &error);
  g_assert_no_error (error);
  ofl_fake_server_revoke_token (server, OFL_FAKE_TOKEN_BETA);

  /* A service that has not read the keyring yet reads it first. */
  fresh = ofl_links_new (NULL);
  g_signal_connect (fresh, "checked", G_CALLBACK (count_cb), &n_checked);
  ofl_links_check_all_async (fresh, NULL, on_ready, &result);
  outcomes = ofl_links_check_all_finish (fresh, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outcomes->len, ==, 2);
  g_assert_cmpuint (n_checked, ==, 2);

  first = g_ptr_array_index (outcomes, 0);
  second = g_ptr_array_index (outcomes, 1);
  g_assert_cmpstr (ofl_link_get_email (first->link), ==, OFL_FAKE_EMAIL_ANNA);
  g_assert_no_error (first->error);
  g_assert_cmpint (ofl_link_get_status (first->link), ==, OFL_LINK_STATUS_OK);
  g_assert_cmpstr (ofl_link_get_email (second->link), ==, OFL_FAKE_EMAIL_DORA);
  g_assert_error (second->error, OFL_ERROR, OFL_ERROR_TOKEN_REJECTED);
  g_assert_cmpint (ofl_link_get_status (second->link), ==, OFL_LINK_STATUS_NEEDS_ATTENTION);
  g_assert_cmpstr (ofl_link_get_problem (second->link), ==, "token-rejected");

  /* The verdicts were saved: a third reader sees them. */
  {
    g_autoptr(OflLinks) again = new_links ();
    g_autoptr(GPtrArray) found = ofl_links_find (again, OFL_FAKE_EMAIL_DORA, NULL);

    g_assert_cmpuint (found->len, ==, 1);
    g_assert_cmpint (ofl_link_get_status (g_ptr_array_index (found, 0)), ==, OFL_LINK_STATUS_NEEDS_ATTENTION);
  }

  ofl_fake_server_add_token (server, OFL_FAKE_ACCOUNT_BETA_ID, OFL_FAKE_TOKEN_BETA);
}

/* A check asked for while one runs is answered by the same check. */
static void
test_check_joins (void)
{
  g_autoptr(OflLinks) links = NULL;
  g_autoptr(OflLinkResult) anna = NULL;
  g_autoptr(GAsyncResult) first = NULL;
  g_autoptr(GAsyncResult) second = NULL;
  g_autoptr(GError) error = NULL;
  guint n_checked = 0;

  forget_everything ();
  links = new_links ();
  anna = link_with (links, OFL_FAKE_TOKEN_ACME, OFL_FAKE_EMAIL_ANNA, NULL, FALSE, &error);
  g_assert_no_error (error);
  ofl_fake_server_clear_requests (server);
  g_signal_connect (links, "checked", G_CALLBACK (count_cb), &n_checked);

  ofl_links_check_async (links, anna->link, NULL, on_ready, &first);
  g_assert_true (ofl_link_get_busy (anna->link));
  ofl_links_check_async (links, anna->link, NULL, on_ready, &second);
  g_assert_true (ofl_links_check_finish (links, wait_for (&first), &error));
  g_assert_true (ofl_links_check_finish (links, wait_for (&second), &error));
  g_assert_no_error (error);

  g_assert_false (ofl_link_get_busy (anna->link));
  g_assert_cmpuint (n_checked, ==, 1);
  g_assert_cmpuint (ofl_fake_server_count_requests (server, OFL_FAKE_ENDPOINT_PING), ==, 1);
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  guint      *count)
{
  (*count)++;
}

/* A window opening as the application reads the links joins that read:
 * one read, one change of the list. A joiner that gives up is told so;
 * the others still get the links. Once it is over, a join reads again. */
static void
test_load_joins (void)
{
  g_autoptr(OflLinks) saver = NULL;
  g_autoptr(OflLinks) links = NULL;
  g_autoptr(OflLinkResult) anna = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) first = NULL;
  g_autoptr(GAsyncResult) gave_up = NULL;
  g_autoptr(GAsyncResult) second = NULL;
  g_autoptr(GAsyncResult) later = NULL;
  g_autoptr(GError) error = NULL;
  guint n_changes = 0;

  forget_everything ();
  saver = new_links ();
  anna = link_with (saver, OFL_FAKE_TOKEN_ACME, OFL_FAKE_EMAIL_ANNA, NULL, FALSE, &error);
  g_assert_no_error (error);

  /* Another process, starting. */
  links = ofl_links_new (NULL);
  g_signal_connect (ofl_links_get_model (links), "items-changed", G_CALLBACK (items_changed_cb), &n_changes);

  ofl_links_join_load_async (links, NULL, on_ready, &first);
  ofl_links_join_load_async (links, cancellable, on_ready, &gave_up);
  ofl_links_join_load_async (links, NULL, on_ready, &second);
  g_cancellable_cancel (cancellable);

  g_assert_true (ofl_links_load_finish (links, wait_for (&first), &error));
  g_assert_no_error (error);
  g_assert_true (ofl_links_load_finish (links, wait_for (&second), &error));
  g_assert_no_error (error);
  g_assert_false (ofl_links_load_finish (links, wait_for (&gave_up), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  g_assert_cmpuint (g_list_model_get_n_items (ofl_links_get_model (links)), ==, 1);
  g_assert_cmpuint (n_changes, ==, 1);

  ofl_links_join_load_async (links, NULL, on_ready, &later);
  g_assert_true (ofl_links_load_finish (links, wait_for (&later), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_changes, ==, 2);
}

static void
test_unlink (void)
{
  g_autoptr(OflLinks) links = NULL;
  g_autoptr(OflLinkResult) anna = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(OflSecret) token = NULL;
  g_autoptr(GError) error = NULL;
  guint n_unlinked = 0;

  forget_everything ();
  links = new_links ();
  anna = link_with (links, OFL_FAKE_TOKEN_ACME, OFL_FAKE_EMAIL_ANNA, NULL, FALSE, &error);
  g_assert_no_error (error);
  g_signal_connect (links, "unlinked", G_CALLBACK (count_one_cb), &n_unlinked);

  ofl_links_unlink_async (links, anna->link, NULL, on_ready, &result);
  g_assert_true (ofl_links_unlink_finish (links, wait_for (&result), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_links (links), ==, 0);
  g_assert_cmpuint (n_unlinked, ==, 1);

  token = lookup (links, anna->link, &error);
  g_assert_null (token);
  g_assert_error (error, OFL_ERROR, OFL_ERROR_NO_SUCH_LINK);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  server = ofl_fake_server_new (FALSE, &error);
  g_assert_no_error (error);

  g_test_add_func ("/links/link", test_link);
  g_test_add_func ("/links/relink-other-account", test_relink_other_account);
  g_test_add_func ("/links/relink-other-user", test_relink_other_user);
  g_test_add_func ("/links/check-all", test_check_all);
  g_test_add_func ("/links/check-joins", test_check_joins);
  g_test_add_func ("/links/load-joins", test_load_joins);
  g_test_add_func ("/links/unlink", test_unlink);

  status = g_test_run ();
  g_clear_object (&server);
  return status;
}
