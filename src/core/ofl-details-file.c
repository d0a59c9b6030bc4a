/* ofl-details-file.c: the read-modify-write of links.json
 *
 * links.json only holds details (names, workspaces, the last check),
 * never a secret: a file that is missing, damaged, too large or not a
 * regular file reads as empty. Writes go through a temporary file and a
 * rename, so there is never a half-written one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "ofl-details.h"
#include "ofl-details-file.h"
#include "ofl-error.h"

OflDetailsOp *
ofl_details_op_new (OflKeyringOperation operation,
                    gboolean            write)
{
  OflDetailsOp *op = g_new0 (OflDetailsOp, 1);

  op->operation = operation;
  op->write = write;

  return op;
}

void
ofl_details_op_free (OflDetailsOp *op)
{
  g_clear_pointer (&op->keep, g_hash_table_unref);
  g_clear_pointer (&op->upsert_key, g_free);
  g_clear_pointer (&op->upsert, json_node_unref);
  g_clear_pointer (&op->remove_key, g_free);
  g_clear_pointer (&op->previous, json_node_unref);
  g_free (op);
}

/* An OflError, like every error of the store, that says which file could
 * not be written and why, without the temporary file's name. */
GError *
ofl_details_error_new (OflKeyringOperation  operation,
                       const char          *path,
                       OflDetailsProblem    problem,
                       const GError        *cause)
{
  const char *why = cause != NULL ? cause->message : "";
  g_autofree char *what = NULL;
  const char *advice;

  if (cause != NULL && cause->domain == G_FILE_ERROR)
    switch (cause->code)
      {
      case G_FILE_ERROR_NOSPC:
        why = g_strerror (ENOSPC);
        break;
      case G_FILE_ERROR_ACCES:
        why = g_strerror (EACCES);
        break;
      case G_FILE_ERROR_PERM:
        why = g_strerror (EPERM);
        break;
      case G_FILE_ERROR_ROFS:
        why = g_strerror (EROFS);
        break;
      case G_FILE_ERROR_IO:
        why = g_strerror (EIO);
        break;
      default:
        break;
      }

  switch (problem)
    {
    case OFL_DETAILS_PROBLEM_NO_SPACE:
      advice = _("Free some disk space, then try again.");
      break;
    case OFL_DETAILS_PROBLEM_TOO_LARGE:
      why = g_strerror (EFBIG);
      advice = _("The file size limit of this session (“ulimit -f”) is too small for it: "
                 "raise the limit, then try again.");
      break;
    case OFL_DETAILS_PROBLEM_NOT_REGULAR:
      /* Translators: why links.json could not be written, in brackets */
      why = _("it is not a regular file");
      advice = _("Move it out of the way (Oneflow Link then makes a new one), then try again.");
      break;
    case OFL_DETAILS_PROBLEM_BUSY:
      /* Translators: why links.json could not be written, in brackets */
      why = _("another Oneflow Link kept it locked for too long");
      advice = _("Wait until the other Oneflow Link has finished, then try again.");
      break;
    case OFL_DETAILS_PROBLEM_OTHER:
    default:
      advice = _("Check that the folder can be written, or ask your IT support, then try again.");
      break;
    }

  switch (operation)
    {
    case OFL_KEYRING_SAVE:
      /* Translators: the first %s is a file, the second why it could not be written */
      what = g_strdup_printf (_("Could not write the link details to %s (%s), so the link was not "
                                "saved and the keyring was not changed."),
                              path, why);
      break;
    case OFL_KEYRING_REMOVE:
      /* Translators: the first %s is a file, the second why it could not be written */
      what = g_strdup_printf (_("Could not write the link details to %s (%s), so the link was not removed."),
                              path, why);
      break;
    default:
      /* Translators: the first %s is a file, the second why it could not be written */
      what = g_strdup_printf (_("Could not write the link details to %s (%s), so the result of the "
                                "check was not saved."),
                              path, why);
      break;
    }

  return g_error_new (OFL_ERROR, OFL_ERROR_DETAILS_NOT_SAVED, "%s %s", what, advice);
}

/* Reads links.json into key → JsonNode (an object). A missing or
 * damaged file reads as empty: it only holds details. Neither a FIFO
 * (which would block the open and the read), a device nor a huge file
 * is read at all. */
static GHashTable *
read_details (const char *path)
{
  g_autofree char *data = NULL;
  struct stat st;
  gsize length = 0;
  int fd;

  fd = g_open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0);
  if (fd < 0)
    {
      if (errno != ENOENT)
        g_debug ("Ignoring unreadable %s: %s", path, g_strerror (errno));
      return ofl_details_parse (NULL, 0);
    }

  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode) || st.st_size > OFL_DETAILS_MAX_SIZE)
    {
      g_debug ("Ignoring %s: not a regular file of a sane size", path);
      close (fd);
      return ofl_details_parse (NULL, 0);
    }

  /* One byte more than the cap tells a file that grew past it. */
  data = g_malloc ((gsize) st.st_size + 1);
  while (length < (gsize) st.st_size + 1)
    {
      gssize n = read (fd, data + length, (gsize) st.st_size + 1 - length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          g_debug ("Ignoring unreadable %s: %s", path, g_strerror (errno));
          length = 0;
          break;
        }
      if (n == 0)
        break;
      length += (gsize) n;
    }
  close (fd);

  if (length > (gsize) st.st_size)
    {
      g_debug ("Ignoring %s: it changed while being read", path);
      length = 0;
    }

  return ofl_details_parse (data, length);
}

/* A write cut short (SIGTERM, power loss) leaves g_file_set_contents()'s
 * temporary "links.json.XXXXXX" behind; links.json itself is intact.
 * Sweep those before the next write, only under the details lock: every
 * writer holds it, so no other process's temporary file is in flight. */
static void
remove_stale_temporary_files (const char *dir,
                              const char *path)
{
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *prefix = g_strconcat (base, ".", NULL);
  g_autoptr(GDir) folder = g_dir_open (dir, 0, NULL);
  const char *name;

  while (folder != NULL && (name = g_dir_read_name (folder)) != NULL)
    {
      if (g_str_has_prefix (name, prefix) && strlen (name) == strlen (prefix) + 6)
        {
          g_autofree char *stale = g_build_filename (dir, name, NULL);
          g_unlink (stale);
        }
    }
}

static gboolean
write_details (const char         *path,
               GHashTable         *entries,
               gboolean            locked,
               OflDetailsProblem  *problem,
               GError            **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *data = NULL;
  struct rlimit limit;
  struct stat st;
  gsize length;

  *problem = OFL_DETAILS_PROBLEM_OTHER;
  data = ofl_details_serialize (entries, &length);

  /* Something else was put there on purpose: never replace it. A
   * symlink to a regular file is followed, as g_file_set_contents()
   * does. */
  if (g_stat (path, &st) == 0 && !S_ISREG (st.st_mode))
    {
      *problem = OFL_DETAILS_PROBLEM_NOT_REGULAR;
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE, "not a regular file");
      return FALSE;
    }

  /* SIGXFSZ is ignored (main.c), so a write past the limit would fail
   * with EFBIG; saying so before writing names the cause. */
  if (getrlimit (RLIMIT_FSIZE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY &&
      (rlim_t) length > limit.rlim_cur)
    {
      *problem = OFL_DETAILS_PROBLEM_TOO_LARGE;
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, g_strerror (EFBIG));
      return FALSE;
    }

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not create the folder %s: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }

  if (locked)
    remove_stale_temporary_files (dir, path);

  /* Temporary file, fsync and rename: never a half-written file. */
  if (!g_file_set_contents_full (path, data, length,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    {
      if (g_error_matches (*error, G_FILE_ERROR, G_FILE_ERROR_NOSPC))
        *problem = OFL_DETAILS_PROBLEM_NO_SPACE;
      else if (strstr ((*error)->message, g_strerror (EFBIG)) != NULL)
        *problem = OFL_DETAILS_PROBLEM_TOO_LARGE;
      return FALSE;
    }

  return TRUE;
}

GHashTable *
ofl_details_file_run (const char    *path,
                      GMutex        *mutex,
                      OflDetailsOp  *op,
                      GError       **error)
{
  g_autoptr(GHashTable) entries = NULL;
  g_autoptr(GError) local_error = NULL;
  OflDetailsProblem problem = OFL_DETAILS_PROBLEM_OTHER;
  GHashTableIter iter;
  gpointer key;
  struct stat st;

  g_mutex_lock (mutex);

  op->created = g_stat (path, &st) != 0;
  entries = read_details (path);

  if (op->remove_key != NULL)
    g_hash_table_remove (entries, op->remove_key);

  if (op->keep != NULL)
    {
      g_hash_table_iter_init (&iter, entries);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        if (!g_hash_table_contains (op->keep, key))
          g_hash_table_iter_remove (&iter);
    }

  if (op->upsert_key != NULL)
    {
      JsonNode *previous = g_hash_table_lookup (entries, op->upsert_key);

      g_clear_pointer (&op->previous, json_node_unref);
      op->previous = previous ? json_node_copy (previous) : NULL;
      if (op->upsert != NULL)
        g_hash_table_replace (entries, g_strdup (op->upsert_key), json_node_ref (op->upsert));
    }

  if (op->write && op->unlink_if_empty && g_hash_table_size (entries) == 0)
    {
      if (g_unlink (path) != 0 && errno != ENOENT)
        g_debug ("Could not remove %s: %s", path, g_strerror (errno));
    }
  else if (op->write && !write_details (path, entries, op->locked, &problem, &local_error))
    {
      g_mutex_unlock (mutex);
      g_debug ("Could not write %s: %s", path, local_error->message);
      g_propagate_error (error, ofl_details_error_new (op->operation, path, problem, local_error));
      return NULL;
    }

  g_mutex_unlock (mutex);

  return g_steal_pointer (&entries);
}

typedef struct {
  char   *path;
  GMutex *mutex;
} Where;

static void
where_free (Where *where)
{
  g_free (where->path);
  g_free (where);
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  Where *where = g_object_get_data (G_OBJECT (task), "ofl-details-where");
  GHashTable *entries;
  GError *error = NULL;

  entries = ofl_details_file_run (where->path, where->mutex, task_data, &error);
  if (entries != NULL)
    g_task_return_pointer (task, entries, (GDestroyNotify) g_hash_table_unref);
  else
    g_task_return_error (task, error);
}

/* The details file is local and small, but it still goes to a thread so
 * no caller ever blocks on a slow home directory. */
void
ofl_details_file_run_async (gpointer             source_object,
                            const char          *path,
                            GMutex              *mutex,
                            OflDetailsOp        *op,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (source_object, NULL, callback, user_data);
  Where *where = g_new0 (Where, 1);

  where->path = g_strdup (path);
  where->mutex = mutex;
  g_task_set_source_tag (task, ofl_details_file_run_async);
  g_task_set_task_data (task, op, (GDestroyNotify) ofl_details_op_free);
  g_object_set_data_full (G_OBJECT (task), "ofl-details-where", where, (GDestroyNotify) where_free);
  g_task_run_in_thread (task, run_thread);
}

GHashTable *
ofl_details_file_run_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ofl_details_file_run_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
open_lock_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  const char *details_path = task_data;
  g_autofree char *dir = g_path_get_dirname (details_path);
  g_autofree char *path = g_strconcat (details_path, ".lock", NULL);
  int fd = -1;

  /* Without a lock file (a read-only folder) the writes that follow
   * fail on their own, each with its own message. */
  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      (fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY, 0600)) < 0)
    g_debug ("Working without the details lock %s: %s", path, g_strerror (errno));

  g_task_return_int (task, fd);
}

void
ofl_details_file_open_lock_async (gpointer             source_object,
                                  const char          *path,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (source_object, NULL, callback, user_data);

  g_task_set_source_tag (task, ofl_details_file_open_lock_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, open_lock_thread);
}

int
ofl_details_file_open_lock_finish (GAsyncResult *result)
{
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ofl_details_file_open_lock_async, -1);

  return g_task_propagate_int (G_TASK (result), NULL);
}
