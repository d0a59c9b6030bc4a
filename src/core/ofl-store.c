/* ofl-store.c: links kept in the system keyring, details in links.json
 *
 * The keyring is the truth for which links exist. links.json only adds
 * what the app shows (names, workspaces, the last check) and never holds
 * a secret: entries without a keyring item are ignored and pruned on the
 * next write, items without an entry list as unchecked.
 *
 * Every keyring call is async and bounded by a timeout, so a hung
 * Secret Service or a forgotten unlock prompt never blocks anyone. When
 * the keyring fails the store says so; it never falls back to a file.
 *
 * The store is in several files:
 *   ofl-store.c         the object, lookup and list (reads)
 *   ofl-store-write.c   save, remove and update (under the details lock)
 *   ofl-store-op.c      what the operations share: task, guard, lock
 *   ofl-keyring-guard.c the time-out and grace of keyring calls
 *   ofl-keyring-list.c  the keyring's items of our schema, and its lock
 *   ofl-details-file.c  the read-modify-write of links.json
 */

#include "config.h"

#include "ofl-store-op.h"

#define DEFAULT_TIMEOUT_SECONDS 60

G_DEFINE_FINAL_TYPE (OflStore, ofl_store, G_TYPE_OBJECT)

const SecretSchema *
ofl_store_get_schema (void)
{
  /* SECRET_SCHEMA_NONE keeps the xdg:schema attribute, so other tools
   * can find the token with secret-tool. */
  static const SecretSchema schema = {
    "org.example.OneflowLink", SECRET_SCHEMA_NONE,
    {
      { "email", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "account-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "api-url", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

static void
ofl_store_finalize (GObject *object)
{
  OflStore *self = (OflStore *) object;

  g_clear_pointer (&self->details_path, g_free);
  g_mutex_clear (&self->details_mutex);

  G_OBJECT_CLASS (ofl_store_parent_class)->finalize (object);
}

static void
ofl_store_class_init (OflStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ofl_store_finalize;
}

static void
ofl_store_init (OflStore *self)
{
  g_mutex_init (&self->details_mutex);
  self->timeout_seconds = DEFAULT_TIMEOUT_SECONDS;
}

OflStore *
ofl_store_new (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (),
                                            "oneflow-link", "links.json", NULL);

  return ofl_store_new_for_details_path (path);
}

OflStore *
ofl_store_new_for_details_path (const char *path)
{
  OflStore *self;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (OFL_TYPE_STORE, NULL);
  self->details_path = g_strdup (path);

  return self;
}

void
ofl_store_set_timeout (OflStore *self,
                       guint     seconds)
{
  g_return_if_fail (OFL_IS_STORE (self));
  g_return_if_fail (seconds > 0);

  self->timeout_seconds = seconds;
}

/* Lookup */

static void lookup_start (GTask *task);

static void
lookup_search_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OflStoreOp *data = ofl_store_op_get (task);
  g_autoptr(OflKeyringItems) items = NULL;
  g_autoptr(GError) error = NULL;

  items = ofl_keyring_search_finish (result, &error);
  if (error == NULL && items != NULL && !ofl_keyring_items_any_locked (items) && data->lookups++ < 3)
    {
      /* Not there when read, there now, and readable: another process
       * linked it again meanwhile. Read it again. */
      g_debug ("The keyring item came back while being read");
      lookup_start (g_steal_pointer (&task));
    }
  else if (error != NULL || items != NULL)
    g_task_return_error (task, ofl_keyring_guard_convert (data->guard, g_steal_pointer (&error)));
  else
    ofl_store_op_check_locked (g_steal_pointer (&task), ofl_store_op_locked_or_missing_cb);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OflStoreOp *data = ofl_store_op_get (task);
  g_autoptr(GError) error = NULL;
  char *password;
  OflSecret *secret;

  password = secret_password_lookup_finish (result, &error);
  /* The item went away between libsecret finding it and reading it
   * (another process's --unlink or re-link): look again, a few times. */
  if ((ofl_keyring_error_is_gone (error) ||
       g_error_matches (error, SECRET_ERROR, SECRET_ERROR_NO_SUCH_OBJECT)) &&
      data->lookups++ < 3)
    {
      g_debug ("The keyring item went away while being read: %s", error->message);
      lookup_start (g_steal_pointer (&task));
      return;
    }
  if (error != NULL)
    {
      g_task_return_error (task, ofl_keyring_guard_convert (data->guard, g_steal_pointer (&error)));
      return;
    }

  if (password == NULL)
    {
      g_autoptr(GHashTable) attributes = ofl_store_link_attributes (data->link);

      /* Nothing, or an item that stayed locked because its unlock
       * prompt was dismissed: only a search without unlocking tells. */
      ofl_store_op_search (g_steal_pointer (&task), attributes, lookup_search_cb);
      return;
    }

  /* libsecret's copy lives in its secure memory; ours is wiped on free. */
  secret = ofl_secret_dup (password);
  secret_password_free (password);

  g_task_return_pointer (task, secret, (GDestroyNotify) ofl_secret_free);
}

/* Takes @task. */
static void
lookup_start (GTask *task)
{
  ofl_store_op_call (task, secret_password_lookupv, lookup_cb);
}

void
ofl_store_lookup_token_async (OflStore            *self,
                              OflLink             *link,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (OFL_IS_STORE (self));
  g_return_if_fail (OFL_IS_LINK (link));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  lookup_start (ofl_store_op_new (self, ofl_store_lookup_token_async, OFL_KEYRING_LOOKUP, link,
                                  cancellable, callback, user_data));
}

OflSecret *
ofl_store_lookup_token_finish (OflStore      *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return ofl_store_op_finish_pointer (self, result, ofl_store_lookup_token_async, error);
}

/* List: the keyring's items, merged with their details */

/* One link per item of ours, sorted, with its details if it has any. */
static GListStore *
links_from_items (GList      *items,
                  GHashTable *entries)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GListStore) links = g_list_store_new (OFL_TYPE_LINK);

  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (l->data);
      const char *email = g_hash_table_lookup (attributes, "email");
      const char *account_id = g_hash_table_lookup (attributes, "account-id");
      const char *api_url = g_hash_table_lookup (attributes, "api-url");
      g_autoptr(OflLink) link = NULL;
      g_autofree char *key = NULL;
      JsonNode *details;

      /* Not one of ours, whatever put it there. */
      if (email == NULL || *email == '\0')
        continue;

      link = ofl_link_new (email, account_id ? account_id : "", api_url ? api_url : "");
      key = ofl_store_link_key (link);
      if (g_hash_table_contains (seen, key))
        continue;

      details = entries ? g_hash_table_lookup (entries, key) : NULL;
      if (details != NULL)
        ofl_link_apply_json (link, json_node_get_object (details));

      g_list_store_insert_sorted (links, link, ofl_link_compare, NULL);
      g_hash_table_add (seen, g_steal_pointer (&key));
    }

  return g_steal_pointer (&links);
}

static void
got_result_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* Runs this thread's @context until @slot is set. */
static GAsyncResult *
wait_here (GMainContext  *context,
           GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (context, TRUE);
  return *slot;
}

/* The items of our schema, or NULL with @error set: the keyring's
 * calls stay async, on this thread's own context, so that the guard's
 * time-out (a source of that context) can give up on them. */
static GList *
list_items (OflStore      *self,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GAsyncResult) searched = NULL;
  g_autoptr(GAsyncResult) locked = NULL;
  OflKeyringGuard *guard;
  GError *local_error = NULL;
  GList *items;

  g_main_context_push_thread_default (context);
  guard = ofl_keyring_guard_new (OFL_KEYRING_LIST, cancellable, self->timeout_seconds);

  ofl_keyring_search_async (ofl_store_get_schema (), NULL, guard->inner, got_result_cb, &searched);
  items = ofl_keyring_search_finish (wait_here (context, &searched), &local_error);
  if (local_error != NULL)
    g_propagate_error (error, ofl_keyring_guard_convert (guard, local_error));
  else if (items == NULL)
    {
      /* No item in a locked keyring says nothing about the links. */
      ofl_keyring_locked_async (guard->inner, got_result_cb, &locked);
      if (ofl_keyring_locked_finish (wait_here (context, &locked)))
        g_propagate_error (error, ofl_keyring_guard_convert (guard, NULL));
    }

  ofl_keyring_guard_free (guard);
  g_main_context_pop_thread_default (context);

  return items;
}

/* The keyring takes several round trips to list the links, and each
 * answer used to wait for the main loop, which at start-up is busy
 * building and drawing the window. On a thread of its own, with its own
 * context, the list is ready by the time the window first draws. */
static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  OflStore *self = source_object;
  g_autoptr(OflKeyringItems) items = NULL;
  g_autoptr(GHashTable) entries = NULL;
  g_autoptr(GError) details_error = NULL;
  OflDetailsOp *op;
  GError *error = NULL;

  items = list_items (self, cancellable, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  op = ofl_details_op_new (OFL_KEYRING_LIST, FALSE);
  entries = ofl_details_file_run (self->details_path, &self->details_mutex, op, &details_error);
  ofl_details_op_free (op);
  if (entries == NULL)
    g_debug ("Could not read the link details: %s", details_error->message);

  g_task_return_pointer (task, links_from_items (items, entries), g_object_unref);
}

void
ofl_store_list_async (OflStore            *self,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (OFL_IS_STORE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ofl_store_list_async);
  /* Cancelling is reported as the guard makes it. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_run_in_thread (task, list_thread);
}

GListModel *
ofl_store_list_finish (OflStore      *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  return ofl_store_op_finish_pointer (self, result, ofl_store_list_async, error);
}
