/* ofl-store-write.c: save, remove and update, the store's writes
 *
 * Each holds the details lock (ofl-store-op.c) from its first look at
 * the keyring or links.json to its last write.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ofl-error.h"
#include "ofl-store-op.h"

/* Save: write the details first, then store the secret (replacing one
 * with the same attributes), then prune the details to what the keyring
 * holds. A details file that cannot be written (a full disk) fails the
 * save before the keyring is touched; a keyring that fails puts the
 * details back as they were. Either way the link stays as it was. */

static void
save_pruned_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;

  /* The link and its details are saved; pruning others can wait for
   * the next write. */
  ofl_store_op_details_done (result, "prune the link details");
  g_task_return_boolean (task, TRUE);
}

static void
save_search_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OflStoreOp *data = ofl_store_op_get (task);
  g_autoptr(OflKeyringItems) items = NULL;
  g_autoptr(GError) error = NULL;
  OflDetailsOp *op;

  items = ofl_keyring_search_finish (result, &error);
  if (error != NULL)
    {
      /* Saved, but the keyring could not be listed: prune nothing. */
      g_debug ("Could not list the keyring after saving: %s", error->message);
      g_task_return_boolean (task, TRUE);
      return;
    }

  op = ofl_store_details_op_new_pruning (OFL_KEYRING_SAVE, items);
  g_hash_table_add (op->keep, ofl_store_link_key (data->link));

  ofl_store_op_run_details (g_steal_pointer (&task), op, save_pruned_cb);
}

static void
save_restored_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OflStoreOp *data = ofl_store_op_get (task);

  ofl_store_op_details_done (result, "put the link details back");
  g_task_return_error (task, g_steal_pointer (&data->keyring_error));
}

/* The keyring kept what it had (or did not answer): so do the details.
 * Takes @task and @error. */
static void
save_put_details_back (GTask  *task,
                       GError *error)
{
  OflStoreOp *data = ofl_store_op_get (task);
  OflDetailsOp *op;

  if (ofl_keyring_guard_outcome_unknown (data->guard, error))
    {
      g_debug ("The keyring stopped answering during the store: %s",
               error != NULL ? error->message : "no answer");
      g_clear_error (&error);
      data->keyring_error = ofl_keyring_error_new (OFL_KEYRING_SAVE_UNKNOWN);

      /* A new link keeps its details: if the keyring did store the
       * token, the link is whole; if not, they belong to no item, are
       * never shown, and go with the next write. (A re-link's details
       * are put back: they are the same link's.) */
      if (data->previous == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&data->keyring_error));
          g_object_unref (task);
          return;
        }
    }
  else
    data->keyring_error = ofl_keyring_guard_convert (data->guard, error);

  op = ofl_details_op_new (OFL_KEYRING_SAVE, TRUE);
  op->upsert_key = ofl_store_link_key (data->link);
  if (data->previous != NULL)
    op->upsert = json_node_ref (data->previous);
  else
    op->remove_key = ofl_store_link_key (data->link);
  op->unlink_if_empty = data->created_details;

  ofl_store_op_run_details (task, op, save_restored_cb);
}

static void
save_store_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (secret_password_store_finish (result, &error))
    ofl_store_op_search (g_steal_pointer (&task), NULL, save_search_cb);
  else
    save_put_details_back (g_steal_pointer (&task), error);
}

static char *
make_label (OflLink *link)
{
  const char *account = ofl_link_get_account_name (link);

  if (account != NULL && *account != '\0')
    /* Translators: the keyring item's name, as Seahorse shows it.
     * The first %s is an email, the second a Oneflow account name. */
    return g_strdup_printf (_("Oneflow API token for %s (%s)"),
                            ofl_link_get_email (link), account);

  /* Translators: the keyring item's name; %s is an email */
  return g_strdup_printf (_("Oneflow API token for %s"), ofl_link_get_email (link));
}

static void
save_details_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OflStoreOp *data = ofl_store_op_get (task);
  OflDetailsOp *op = g_task_get_task_data (G_TASK (result));
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(GHashTable) entries = NULL;
  g_autofree char *label = NULL;
  GError *error = NULL;

  entries = ofl_details_file_run_finish (result, &error);
  if (entries == NULL)
    {
      /* Nothing was changed: the keyring was not touched. */
      g_task_return_error (task, error);
      return;
    }

  data->previous = g_steal_pointer (&op->previous);
  data->created_details = op->created;

  attributes = ofl_store_link_attributes (data->link);
  label = make_label (data->link);

  /* Same attributes: libsecret replaces the item in one call. libsecret
   * copies the token into its own wiped memory. */
  secret_password_storev (ofl_store_get_schema (), attributes, SECRET_COLLECTION_DEFAULT,
                          label, data->token, data->guard->inner,
                          ofl_keyring_step_answered,
                          ofl_keyring_step_new (data->guard, g_steal_pointer (&task),
                                                save_store_cb, save_put_details_back));
  g_clear_pointer (&data->token, ofl_secret_free);
}

static void
save_locked (GTask *task)
{
  OflStoreOp *data = ofl_store_op_get (task);
  OflDetailsOp *op;

  /* The details first, without pruning anything: a disk that cannot
   * take them fails the save here, with the keyring untouched. */
  op = ofl_details_op_new (OFL_KEYRING_SAVE, TRUE);
  op->upsert_key = ofl_store_link_key (data->link);
  op->upsert = ofl_link_to_json (data->link);

  ofl_store_op_run_details (task, op, save_details_cb);
}

void
ofl_store_save_async (OflStore            *self,
                      OflLink             *link,
                      const char          *token,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (OFL_IS_STORE (self));
  g_return_if_fail (OFL_IS_LINK (link));
  g_return_if_fail (token != NULL && *token != '\0');
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = ofl_store_op_new (self, ofl_store_save_async, OFL_KEYRING_SAVE, link, cancellable, callback, user_data);
  ofl_store_op_get (task)->token = ofl_secret_dup (token);

  ofl_store_op_lock (g_steal_pointer (&task), save_locked);
}

gboolean
ofl_store_save_finish (OflStore      *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  return ofl_store_op_finish_boolean (self, result, ofl_store_save_async, error);
}

/* Remove: the secret first (that is what makes the link exist), then
 * its details. */

static void
remove_details_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OflStoreOp *data = ofl_store_op_get (task);

  ofl_store_op_details_done (result, "remove the link details");
  if (!data->removed)
    g_task_return_error (task, ofl_store_no_such_link_error (data->link));
  else
    g_task_return_boolean (task, TRUE);
}

static void
remove_search_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OflStoreOp *data = ofl_store_op_get (task);
  g_autoptr(OflKeyringItems) items = NULL;
  g_autoptr(GError) error = NULL;
  OflDetailsOp *op;

  items = ofl_keyring_search_finish (result, &error);
  if (error != NULL)
    g_debug ("Could not list the keyring after removing: %s", error->message);

  op = ofl_store_details_op_new_pruning (OFL_KEYRING_REMOVE, items);
  /* The keyring could not be listed: prune nothing else. */
  if (error != NULL)
    g_clear_pointer (&op->keep, g_hash_table_unref);
  op->remove_key = ofl_store_link_key (data->link);

  ofl_store_op_run_details (g_steal_pointer (&task), op, remove_details_cb);
}

static void
remove_locked_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OflStoreOp *data = ofl_store_op_get (task);

  if (ofl_keyring_locked_finish (result))
    {
      /* Nothing was removed, and nothing is known: keep the details. */
      g_task_return_error (task, ofl_keyring_guard_convert (data->guard, NULL));
      return;
    }

  ofl_store_op_search (g_steal_pointer (&task), NULL, remove_search_cb);
}

static void
remove_clear_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OflStoreOp *data = ofl_store_op_get (task);
  g_autoptr(GError) error = NULL;

  data->removed = secret_password_clear_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, ofl_keyring_guard_convert (data->guard, g_steal_pointer (&error)));
  else if (!data->removed)
    ofl_store_op_check_locked (g_steal_pointer (&task), remove_locked_cb);
  else
    ofl_store_op_search (g_steal_pointer (&task), NULL, remove_search_cb);
}

static void
remove_locked (GTask *task)
{
  ofl_store_op_call (task, secret_password_clearv, remove_clear_cb);
}

void
ofl_store_remove_async (OflStore            *self,
                        OflLink             *link,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (OFL_IS_STORE (self));
  g_return_if_fail (OFL_IS_LINK (link));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  ofl_store_op_lock (ofl_store_op_new (self, ofl_store_remove_async, OFL_KEYRING_REMOVE, link,
                                       cancellable, callback, user_data),
                     remove_locked);
}

gboolean
ofl_store_remove_finish (OflStore      *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  return ofl_store_op_finish_boolean (self, result, ofl_store_remove_async, error);
}

/* Update: details only, for a link the keyring still holds */

static void
update_details_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GHashTable) entries = NULL;
  GError *error = NULL;

  entries = ofl_details_file_run_finish (result, &error);
  if (entries == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
update_search_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OflStoreOp *data = ofl_store_op_get (task);
  g_autoptr(OflKeyringItems) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  OflDetailsOp *op;

  items = ofl_keyring_search_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, ofl_keyring_guard_convert (data->guard, g_steal_pointer (&error)));
      return;
    }

  op = ofl_store_details_op_new_pruning (OFL_KEYRING_UPDATE, items);

  key = ofl_store_link_key (data->link);
  if (!g_hash_table_contains (op->keep, key))
    {
      /* Removed meanwhile, or hidden by a keyring loaded locked. */
      ofl_details_op_free (op);
      ofl_store_op_check_locked (g_steal_pointer (&task), ofl_store_op_locked_or_missing_cb);
      return;
    }

  op->upsert_key = g_steal_pointer (&key);
  op->upsert = ofl_link_to_json (data->link);

  ofl_store_op_run_details (g_steal_pointer (&task), op, update_details_cb);
}

static void
update_locked (GTask *task)
{
  ofl_store_op_search (task, NULL, update_search_cb);
}

void
ofl_store_update_async (OflStore            *self,
                        OflLink             *link,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (OFL_IS_STORE (self));
  g_return_if_fail (OFL_IS_LINK (link));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  ofl_store_op_lock (ofl_store_op_new (self, ofl_store_update_async, OFL_KEYRING_UPDATE, link,
                                       cancellable, callback, user_data),
                     update_locked);
}

gboolean
ofl_store_update_finish (OflStore      *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  return ofl_store_op_finish_boolean (self, result, ofl_store_update_async, error);
}
