/* ofl-store-op.c: what the store's operations share
 *
 * Every operation runs on the main context of the thread it was started
 * from, as a chain of async calls: a keyring call made on a worker
 * thread could not be given up on, and the guard's time-out must always
 * be able to give up on it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <unistd.h>
#include <sys/file.h>
#include <glib/gi18n-lib.h>

#include "ofl-details.h"
#include "ofl-error.h"
#include "ofl-store-op.h"

static void
op_free (OflStoreOp *data)
{
  g_clear_pointer (&data->guard, ofl_keyring_guard_free);
  g_clear_object (&data->link);
  g_clear_pointer (&data->items, ofl_keyring_items_free);
  g_clear_pointer (&data->token, ofl_secret_free);
  g_clear_pointer (&data->previous, json_node_unref);
  g_clear_error (&data->keyring_error);
  /* Closing the file releases the lock. */
  if (data->lock_fd >= 0)
    close (data->lock_fd);
  g_free (data);
}

static void
op_release_lock (GTask      *task,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  OflStoreOp *data = g_task_get_task_data (task);

  /* Closing the file releases the lock. */
  if (data->lock_fd >= 0)
    close (data->lock_fd);
  data->lock_fd = -1;
}

/* Errors, cancelling included, come back as the guard makes them, never
 * as GTask's own: the task does not check its cancellable. */
GTask *
ofl_store_op_new (OflStore            *self,
                  gpointer             source_tag,
                  OflKeyringOperation  operation,
                  OflLink             *link,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  OflStoreOp *data = g_new0 (OflStoreOp, 1);

  g_task_set_source_tag (task, source_tag);
  g_task_set_check_cancellable (task, FALSE);

  data->guard = ofl_keyring_guard_new (operation, cancellable, self->timeout_seconds);
  data->link = link ? g_object_ref (link) : NULL;
  data->lock_fd = -1;
  g_task_set_task_data (task, data, (GDestroyNotify) op_free);

  /* The caller may keep the result for long: the lock goes as soon as
   * the operation has returned, not with the task. */
  g_signal_connect (task, "notify::completed", G_CALLBACK (op_release_lock), NULL);

  return task;
}

OflStoreOp *
ofl_store_op_get (GTask *task)
{
  return g_task_get_task_data (task);
}

/* The details lock: "links.json.lock" beside links.json, flock()ed by
 * every operation that writes the details, from its first look at the
 * keyring or the file to its last write. Parallel runs (two --link, a
 * --check, an --unlink) then neither prune nor overwrite what another
 * has not finished, and the sweep of temporary files only ever sees
 * stale ones. The file is opened on a worker thread (no caller blocks
 * on a slow home directory); the lock is then tried without blocking
 * from the operation's own main context, and given up after longer than
 * any holder keeps it: one keyring time-out, its grace, and the writes.
 * (A thread blocked in flock () would hold one of GTask's few worker
 * threads per waiting operation, and the holder needs one to write.) */

#define LOCK_POLL_MS 20
#define LOCK_MARGIN_SECONDS 5

static void
op_lock_failed (GTask             *task,
                OflDetailsProblem  problem)
{
  OflStore *self = g_task_get_source_object (task);
  OflStoreOp *data = g_task_get_task_data (task);

  close (data->lock_fd);
  data->lock_fd = -1;

  if (problem == OFL_DETAILS_PROBLEM_OTHER)
    g_task_return_error (task, ofl_keyring_guard_convert (data->guard, NULL));
  else
    g_task_return_error (task, ofl_details_error_new (data->guard->operation, self->details_path,
                                                      problem, NULL));
  g_object_unref (task);
}

/* Takes @user_data, the operation's task. */
static gboolean
op_try_lock (gpointer user_data)
{
  GTask *task = user_data;
  OflStoreOp *data = g_task_get_task_data (task);

  if (flock (data->lock_fd, LOCK_EX | LOCK_NB) == 0)
    {
      ofl_keyring_guard_restart (data->guard);
      data->locked (task);
      return G_SOURCE_REMOVE;
    }

  if (errno != EWOULDBLOCK && errno != EINTR)
    {
      g_debug ("Working without the details lock: %s", g_strerror (errno));
      close (data->lock_fd);
      data->lock_fd = -1;
      data->locked (task);
    }
  else if (ofl_keyring_guard_is_cancelled (data->guard))
    op_lock_failed (task, OFL_DETAILS_PROBLEM_OTHER);
  else if (g_get_monotonic_time () >= data->lock_deadline)
    op_lock_failed (task, OFL_DETAILS_PROBLEM_BUSY);
  else
    {
      g_autoptr(GSource) source = g_timeout_source_new (LOCK_POLL_MS);

      g_source_set_name (source, "[oneflow-link] details lock");
      g_source_set_callback (source, op_try_lock, task, NULL);
      g_source_attach (source, data->guard->context);
    }

  return G_SOURCE_REMOVE;
}

static void
op_lock_opened_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  OflStore *self = OFL_STORE (object);
  OflStoreOp *data = g_task_get_task_data (task);

  data->lock_fd = ofl_details_file_open_lock_finish (result);
  if (data->lock_fd < 0)
    {
      data->locked (task);
      return;
    }

  data->lock_deadline = g_get_monotonic_time () +
                        (self->timeout_seconds + OFL_KEYRING_GRACE_MS / 1000 + LOCK_MARGIN_SECONDS) * G_USEC_PER_SEC;
  op_try_lock (task);
}

void
ofl_store_op_lock (GTask  *task,
                   void  (*locked) (GTask *task))
{
  OflStore *self = g_task_get_source_object (task);
  OflStoreOp *data = g_task_get_task_data (task);

  data->locked = locked;
  ofl_details_file_open_lock_async (self, self->details_path, op_lock_opened_cb, task);
}

void
ofl_store_op_run_details (GTask               *task,
                          OflDetailsOp        *op,
                          GAsyncReadyCallback  callback)
{
  OflStore *self = g_task_get_source_object (task);
  OflStoreOp *data = g_task_get_task_data (task);

  op->locked = data->lock_fd >= 0;
  ofl_details_file_run_async (self, self->details_path, &self->details_mutex, op, callback, task);
}

void
ofl_store_op_details_done (GAsyncResult *result,
                           const char   *what)
{
  g_autoptr(GHashTable) entries = NULL;
  g_autoptr(GError) error = NULL;

  entries = ofl_details_file_run_finish (result, &error);
  if (entries == NULL)
    g_debug ("Could not %s: %s", what, error->message);
}

void
ofl_store_op_search (GTask               *task,
                     GHashTable          *attributes,
                     GAsyncReadyCallback  callback)
{
  OflStoreOp *data = g_task_get_task_data (task);

  ofl_keyring_search_async (ofl_store_get_schema (), attributes, data->guard->inner, callback, task);
}

void
ofl_store_op_check_locked (GTask               *task,
                           GAsyncReadyCallback  callback)
{
  OflStoreOp *data = g_task_get_task_data (task);

  ofl_keyring_locked_async (data->guard->inner, callback, task);
}

void
ofl_store_op_call (GTask               *task,
                   OflStoreKeyringCall  call,
                   GAsyncReadyCallback  callback)
{
  OflStoreOp *data = g_task_get_task_data (task);
  g_autoptr(GHashTable) attributes = ofl_store_link_attributes (data->link);

  call (ofl_store_get_schema (), attributes, data->guard->inner,
        ofl_keyring_step_answered,
        ofl_keyring_step_new (data->guard, task, callback, ofl_store_op_return_keyring_error));
}

void
ofl_store_op_return_keyring_error (GTask  *task,
                                   GError *error)
{
  OflStoreOp *data = g_task_get_task_data (task);

  g_task_return_error (task, ofl_keyring_guard_convert (data->guard, error));
  g_object_unref (task);
}

/* In a locked keyring, not finding the link says nothing. */
void
ofl_store_op_locked_or_missing_cb (GObject      *object,
                                   GAsyncResult *result,
                                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OflStoreOp *data = g_task_get_task_data (task);

  if (ofl_keyring_locked_finish (result))
    g_task_return_error (task, ofl_keyring_guard_convert (data->guard, NULL));
  else
    g_task_return_error (task, ofl_store_no_such_link_error (data->link));
}

static gboolean
is_result_of (OflStore     *self,
              GAsyncResult *result,
              gpointer      source_tag)
{
  return OFL_IS_STORE (self) && g_task_is_valid (result, self) &&
         g_task_get_source_tag (G_TASK (result)) == source_tag;
}

gboolean
ofl_store_op_finish_boolean (OflStore      *self,
                             GAsyncResult  *result,
                             gpointer       source_tag,
                             GError       **error)
{
  g_return_val_if_fail (is_result_of (self, result, source_tag), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gpointer
ofl_store_op_finish_pointer (OflStore      *self,
                             GAsyncResult  *result,
                             gpointer       source_tag,
                             GError       **error)
{
  g_return_val_if_fail (is_result_of (self, result, source_tag), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

GHashTable *
ofl_store_link_attributes (OflLink *link)
{
  GHashTable *attributes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  g_hash_table_insert (attributes, (gpointer) "email", g_strdup (ofl_link_get_email (link)));
  g_hash_table_insert (attributes, (gpointer) "account-id", g_strdup (ofl_link_get_account_id (link)));
  g_hash_table_insert (attributes, (gpointer) "api-url", g_strdup (ofl_link_get_api_url (link)));

  return attributes;
}

char *
ofl_store_link_key (OflLink *link)
{
  return ofl_details_key (ofl_link_get_email (link),
                          ofl_link_get_account_id (link),
                          ofl_link_get_api_url (link));
}

GError *
ofl_store_no_such_link_error (OflLink *link)
{
  const char *account = ofl_link_get_account_name (link);

  if (account == NULL || *account == '\0')
    account = ofl_link_get_account_id (link);

  /* Translators: the first %s is an email, the second a Oneflow account */
  return g_error_new (OFL_ERROR, OFL_ERROR_NO_SUCH_LINK,
                      _("There is no saved link for %s (%s) on this computer."),
                      ofl_link_get_email (link), account);
}

OflDetailsOp *
ofl_store_details_op_new_pruning (OflKeyringOperation  operation,
                                  GList               *items)
{
  OflDetailsOp *op = ofl_details_op_new (operation, TRUE);

  op->keep = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (l->data);
      const char *email = g_hash_table_lookup (attributes, "email");

      if (email == NULL)
        continue;
      g_hash_table_add (op->keep, ofl_details_key (email,
                                                   g_hash_table_lookup (attributes, "account-id"),
                                                   g_hash_table_lookup (attributes, "api-url")));
    }

  return op;
}
