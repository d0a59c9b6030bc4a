/* ofl-store-op.h: what the store's operations share
 *
 * Internal to ofl-store.c and ofl-store-write.c: one operation's task,
 * its keyring guard, and the details lock it may hold.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ofl-credentials.h"
#include "ofl-details-file.h"
#include "ofl-keyring-guard.h"
#include "ofl-keyring-list.h"
#include "ofl-store-private.h"

G_BEGIN_DECLS

/* The data of an operation's task. */
typedef struct {
  OflKeyringGuard *guard;
  OflLink         *link;
  /* List: the keyring's items. */
  GList           *items;
  gboolean         removed;
  /* Save: the token, until it is handed to the keyring. */
  OflSecret       *token;
  /* Save: the details entry the new one replaced, to put back, and
   * whether the details file was made for it. */
  JsonNode        *previous;
  gboolean         created_details;
  GError          *keyring_error;
  /* The details lock (see ofl_store_op_lock ()), -1 when not held. */
  int              lock_fd;
  /* What the operation does once it holds the lock. */
  void           (*locked) (GTask *task);
  gint64           lock_deadline;
  /* Lookup: how many times the item went away while being read. */
  guint            lookups;
} OflStoreOp;

/* A task of the store with an OflStoreOp, whose guard bounds its
 * keyring calls. */
GTask      *ofl_store_op_new             (OflStore            *self,
                                          gpointer             source_tag,
                                          OflKeyringOperation  operation,
                                          OflLink             *link,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
OflStoreOp *ofl_store_op_get             (GTask               *task);

/* Takes @task; runs @locked with it once the details lock is held (or
 * cannot be had at all). */
void        ofl_store_op_lock            (GTask               *task,
                                          void               (*locked) (GTask *task));
/* Each of these takes @task: @callback gets it as its user data. */
void        ofl_store_op_run_details     (GTask               *task,
                                          OflDetailsOp        *op,
                                          GAsyncReadyCallback  callback);
void        ofl_store_op_search          (GTask               *task,
                                          GHashTable          *attributes,
                                          GAsyncReadyCallback  callback);
void        ofl_store_op_check_locked    (GTask               *task,
                                          GAsyncReadyCallback  callback);
/* Finishes a run of the details whose failure is only logged: what
 * the operation had to do is done, so @what can wait for the next
 * write. */
void        ofl_store_op_details_done    (GAsyncResult        *result,
                                          const char          *what);
/* A secret_password_lookupv () or secret_password_clearv () of the
 * link, as a guarded step that fails with the keyring error; takes
 * @task. */
typedef void (*OflStoreKeyringCall) (const SecretSchema  *schema,
                                     GHashTable          *attributes,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
void        ofl_store_op_call            (GTask               *task,
                                          OflStoreKeyringCall  call,
                                          GAsyncReadyCallback  callback);

/* An OflKeyringStepFailed for an operation with nothing to put back. */
void        ofl_store_op_return_keyring_error (GTask          *task,
                                               GError         *error);
/* The callback of ofl_store_op_check_locked () when the link was not
 * found: the keyring error if locked, or OFL_ERROR_NO_SUCH_LINK. */
void        ofl_store_op_locked_or_missing_cb (GObject        *object,
                                               GAsyncResult   *result,
                                               gpointer        user_data);

gboolean    ofl_store_op_finish_boolean  (OflStore            *self,
                                          GAsyncResult        *result,
                                          gpointer             source_tag,
                                          GError             **error);
gpointer    ofl_store_op_finish_pointer  (OflStore            *self,
                                          GAsyncResult        *result,
                                          gpointer             source_tag,
                                          GError             **error);

GHashTable   *ofl_store_link_attributes  (OflLink             *link);
char         *ofl_store_link_key         (OflLink             *link);
GError       *ofl_store_no_such_link_error (OflLink           *link);
/* A write of the details that prunes them to what the keyring holds,
 * @items from a search of our schema. */
OflDetailsOp *ofl_store_details_op_new_pruning (OflKeyringOperation operation,
                                                GList              *items);

G_END_DECLS
