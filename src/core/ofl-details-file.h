/* ofl-details-file.h: the read-modify-write of links.json
 *
 * Internal to the store (ofl-store*.c). What the file holds is
 * ofl-details.c's; this is the file itself: read without ever blocking
 * on a FIFO, written atomically, a lock beside it between processes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "ofl-keyring-guard.h"

G_BEGIN_DECLS

/* Why links.json could not be written, for the advice that goes with it. */
typedef enum {
  OFL_DETAILS_PROBLEM_OTHER,
  OFL_DETAILS_PROBLEM_NO_SPACE,
  /* Past the process's file size limit (ulimit -f). */
  OFL_DETAILS_PROBLEM_TOO_LARGE,
  /* links.json is a FIFO, a device or a folder: never written through. */
  OFL_DETAILS_PROBLEM_NOT_REGULAR,
  /* Another process held the details lock for too long. */
  OFL_DETAILS_PROBLEM_BUSY,
} OflDetailsProblem;

/* One read, and maybe write, of links.json. */
typedef struct {
  /* Keys of the links in the keyring; entries not in it are dropped
   * (NULL: read only, nothing is dropped). */
  GHashTable *keep;
  char       *upsert_key;
  JsonNode   *upsert;
  char       *remove_key;
  gboolean    write;
  /* What the write is for, for the message when it fails. */
  OflKeyringOperation operation;
  /* Out: the entry @upsert replaced, NULL if there was none. */
  JsonNode   *previous;
  /* Out: there was no file before this write. */
  gboolean    created;
  /* Delete the file rather than leave it holding no link. */
  gboolean    unlink_if_empty;
  /* The details lock is held: temporary files left are stale. */
  gboolean    locked;
} OflDetailsOp;

OflDetailsOp *ofl_details_op_new           (OflKeyringOperation  operation,
                                            gboolean             write);
void          ofl_details_op_free          (OflDetailsOp        *op);

/* An OflError, like every error of the store, that says which file could
 * not be written and why. */
GError       *ofl_details_error_new        (OflKeyringOperation  operation,
                                            const char          *path,
                                            OflDetailsProblem    problem,
                                            const GError        *cause);

/* Runs @op on @path under @mutex, blocking: for worker threads only.
 * Returns the entries as they are now, key → JsonNode. */
GHashTable   *ofl_details_file_run         (const char          *path,
                                            GMutex              *mutex,
                                            OflDetailsOp        *op,
                                            GError             **error);
/* The same on a worker thread; takes @op, which is the task's data (its
 * outs are read there). @path and @mutex belong to @source_object. */
void          ofl_details_file_run_async   (gpointer             source_object,
                                            const char          *path,
                                            GMutex              *mutex,
                                            OflDetailsOp        *op,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
GHashTable   *ofl_details_file_run_finish  (GAsyncResult        *result,
                                            GError             **error);

/* Opens (and makes) "@path.lock" on a worker thread, without locking it:
 * the file descriptor, or -1 when there can be none. */
void          ofl_details_file_open_lock_async  (gpointer             source_object,
                                                 const char          *path,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
int           ofl_details_file_open_lock_finish (GAsyncResult        *result);

G_END_DECLS
