/* ofl-keyring-list.c: the items of a schema in the keyring, and whether
 * the keyring is locked
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

/* libsecret's D-Bus path API (secret-paths.h): listing without its
 * search's double return, see ofl_keyring_search_async (). Stable in
 * practice since libsecret 0.18; on Debian 13's 0.21 and GNOME 51's
 * alike. */
#define SECRET_API_SUBJECT_TO_CHANGE 1

#include "ofl-config.h"
#include "ofl-keyring-list.h"

/* Whether the collection links are saved in is locked. A keyring loaded
 * locked (a login without the password, or the daemon started again)
 * hides which items are ours until it is unlocked: gnome-keyring then
 * matches none of them by schema. Finding nothing in a locked keyring
 * says nothing, and must never read as "no links" (nor prune the
 * details). Never prompts; any trouble asking reads as "not locked",
 * as before. libsecret's file backend has no locked state. */
static void
locked_alias_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(SecretCollection) collection = NULL;
  g_autoptr(GError) error = NULL;

  collection = secret_collection_for_alias_finish (result, &error);
  if (error != NULL)
    g_debug ("Could not tell whether the keyring is locked: %s", error->message);

  g_task_return_boolean (task, collection != NULL && secret_collection_get_locked (collection));
}

static void
locked_service_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GError) error = NULL;

  service = secret_service_get_finish (result, &error);
  if (service == NULL)
    {
      g_debug ("Could not tell whether the keyring is locked: %s", error->message);
      g_task_return_boolean (task, FALSE);
      return;
    }

  secret_collection_for_alias (service, SECRET_COLLECTION_DEFAULT, SECRET_COLLECTION_NONE,
                               cancellable, locked_alias_cb,
                               g_steal_pointer (&task));
}

void
ofl_keyring_locked_async (GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, ofl_keyring_locked_async);
  /* An answer of "not locked" when cancelled: the caller's guard reports
   * the time-out itself. */
  g_task_set_check_cancellable (task, FALSE);

  if (g_strcmp0 (g_getenv ("SECRET_BACKEND"), "file") == 0)
    {
      g_task_return_boolean (task, FALSE);
      return;
    }

  secret_service_get (SECRET_SERVICE_NONE, cancellable, locked_service_cb, g_steal_pointer (&task));
}

gboolean
ofl_keyring_locked_finish (GAsyncResult *result)
{
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ofl_keyring_locked_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), NULL);
}

void
ofl_keyring_items_free (GList *items)
{
  g_list_free_full (items, g_object_unref);
}

/* A search of our schema, every item, locked ones too, without unlocking
 * (attributes are readable without it: no prompt for a list).
 *
 * Not secret_password_search() on the Secret Service: libsecret 0.21
 * loads each item it found, and when one is deleted meanwhile (another
 * process's --unlink or re-link), it fails the whole search and then
 * returns its task a second time ("GLib-GIO-CRITICAL … !task->
 * ever_returned"). Here an item that is gone by the time it is loaded is
 * simply not found; any other failure fails the search, once. */

typedef struct {
  const SecretSchema *schema;
  GHashTable         *attributes;
  GList              *items;
  guint               loading;
  GError             *error;
  /* The paths the service found locked. */
  GStrv               locked;
} SearchAll;

static void
search_all_free (SearchAll *search)
{
  g_clear_pointer (&search->attributes, g_hash_table_unref);
  g_clear_pointer (&search->locked, g_strfreev);
  g_list_free_full (search->items, g_object_unref);
  g_clear_error (&search->error);
  g_free (search);
}

static void
search_all_complete (GTask *task)
{
  SearchAll *search = g_task_get_task_data (task);

  if (search->error != NULL)
    g_task_return_error (task, g_steal_pointer (&search->error));
  else
    g_task_return_pointer (task, g_steal_pointer (&search->items), (GDestroyNotify) ofl_keyring_items_free);
}

gboolean
ofl_keyring_error_is_gone (const GError *error)
{
  return g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD) ||
         g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_OBJECT) ||
         g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_INTERFACE) ||
         g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_PROPERTY);
}

/* Set on an item the search found locked. */
#define ITEM_FOUND_LOCKED "ofl-store-found-locked"

/* Whether one of @items is locked, or was found locked. */
gboolean
ofl_keyring_items_any_locked (GList *items)
{
  for (GList *l = items; l != NULL; l = l->next)
    if (!SECRET_IS_ITEM (l->data) || secret_item_get_locked (l->data) ||
        g_object_get_data (l->data, ITEM_FOUND_LOCKED) != NULL)
      return TRUE;
  return FALSE;
}

static void
search_item_loaded_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SearchAll *search = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  SecretItem *item;
  const char *path;

  item = secret_item_new_for_dbus_path_finish (result, &error);
  if (item != NULL)
    {
      path = g_dbus_proxy_get_object_path (G_DBUS_PROXY (item));
      if (search->locked != NULL && g_strv_contains ((const char * const *) search->locked, path))
        g_object_set_data (G_OBJECT (item), ITEM_FOUND_LOCKED, GINT_TO_POINTER (TRUE));
      search->items = g_list_prepend (search->items, item);
    }
  else if (ofl_keyring_error_is_gone (error))
    g_debug ("A keyring item was removed while being listed: %s", error->message);
  else if (search->error == NULL)
    search->error = g_steal_pointer (&error);

  if (--search->loading == 0)
    search_all_complete (task);
}

static void
search_paths_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SecretService *service = SECRET_SERVICE (object);
  SearchAll *search = g_task_get_task_data (task);
  g_auto(GStrv) unlocked = NULL;
  g_auto(GStrv) locked = NULL;
  GError *error = NULL;

  if (!secret_service_search_for_dbus_paths_finish (service, result, &unlocked, &locked, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  /* One more, so no answer completes the search before all are asked. */
  search->loading = 1;
  for (GStrv paths = unlocked; paths != NULL && *paths != NULL; paths++)
    {
      search->loading++;
      secret_item_new_for_dbus_path (service, *paths, SECRET_ITEM_NONE, g_task_get_cancellable (task),
                                     search_item_loaded_cb, g_object_ref (task));
    }
  search->locked = g_strdupv (locked);
  for (GStrv paths = locked; paths != NULL && *paths != NULL; paths++)
    {
      search->loading++;
      secret_item_new_for_dbus_path (service, *paths, SECRET_ITEM_NONE, g_task_get_cancellable (task),
                                     search_item_loaded_cb, g_object_ref (task));
    }

  if (--search->loading == 0)
    search_all_complete (task);
}

static void
search_service_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(SecretService) service = NULL;
  SearchAll *search = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;

  service = secret_service_get_finish (result, &error);
  if (service == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  secret_service_search_for_dbus_paths (service, search->schema, search->attributes,
                                        cancellable, search_paths_cb, g_steal_pointer (&task));
}

static void
search_file_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GList *items;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, items, (GDestroyNotify) ofl_keyring_items_free);
}

void
ofl_keyring_search_async (const SecretSchema  *schema,
                          GHashTable          *attributes,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  SearchAll *search = g_new0 (SearchAll, 1);

  g_task_set_source_tag (task, ofl_keyring_search_async);
  /* The guard reports a cancelled search itself. */
  g_task_set_check_cancellable (task, FALSE);
  search->schema = schema;
  search->attributes = attributes != NULL ? g_hash_table_ref (attributes)
                                          : g_hash_table_new (g_str_hash, g_str_equal);
  g_task_set_task_data (task, search, (GDestroyNotify) search_all_free);

  /* libsecret uses its file backend with SECRET_BACKEND=file, and in a
   * Flatpak or a snap when the Secret portal answers (its own rule, which
   * it does not export): not a Secret Service, and no such race (one
   * process's file). There, its own search, so that both agree. */
  if (g_strcmp0 (g_getenv ("SECRET_BACKEND"), "file") == 0 ||
      ofl_config_in_flatpak () ||
      g_getenv ("SNAP_NAME") != NULL)
    secret_password_searchv (schema, search->attributes, SECRET_SEARCH_ALL, cancellable,
                             search_file_cb, g_steal_pointer (&task));
  else
    secret_service_get (SECRET_SERVICE_NONE, cancellable, search_service_cb, g_steal_pointer (&task));
}

GList *
ofl_keyring_search_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ofl_keyring_search_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
