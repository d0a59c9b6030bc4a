/* ofl-store.h: links kept in the system keyring (libsecret), with their
 * non-secret details in a JSON file under the XDG data dir. Async only. */
#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

#include "ofl-credentials.h"
#include "ofl-link.h"

G_BEGIN_DECLS

#define OFL_TYPE_STORE (ofl_store_get_type ())
G_DECLARE_FINAL_TYPE (OflStore, ofl_store, OFL, STORE, GObject)

/* Every operation that is cancelled fails with G_IO_ERROR_CANCELLED.
 *
 * Details in $XDG_DATA_HOME/oneflow-link/links.json. Each operation's
 * keyring calls are given up after 60 s (long enough to type a keyring
 * password into an unlock prompt) and reported as OFL_ERROR_KEYRING.
 * Save, remove and update hold an flock () on links.json.lock beside it for their whole
 * read-modify-write, so parallel processes never lose each other's
 * details; one that waits past its bound fails with
 * OFL_ERROR_DETAILS_NOT_SAVED. A links.json that is damaged, too large
 * (OFL_DETAILS_MAX_SIZE) or not a regular file reads as empty; one that
 * is not a regular file (a FIFO, a device) is never written. */
OflStore   *ofl_store_new                 (void);

/* Stores @token for @link (only ever called after verification) and its
 * details. An existing item with the same attributes is replaced in one
 * keyring operation, never deleted first. Errors: OFL_ERROR_KEYRING
 * (nothing was stored; or, when the keyring died with the store call
 * on its way, it may have been: the message says so, and a new link's
 * details are kept so that it is whole if it was),
 * OFL_ERROR_DETAILS_NOT_SAVED (the details file could not be written
 * first; the keyring was not touched). A failure to write the details
 * after the secret was stored is only logged: the link then lists as
 * unchecked. */
void        ofl_store_save_async          (OflStore            *self,
                                           OflLink             *link,
                                           const char          *token,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean    ofl_store_save_finish         (OflStore            *self,
                                           GAsyncResult        *result,
                                           GError             **error);

/* The token of a stored link, in wiped-on-free memory.
 * OFL_ERROR_NO_SUCH_LINK when the keyring has none. */
void        ofl_store_lookup_token_async  (OflStore            *self,
                                           OflLink             *link,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
OflSecret  *ofl_store_lookup_token_finish (OflStore            *self,
                                           GAsyncResult        *result,
                                           GError             **error);

/* Every link in the keyring, merged with its details (sorted by email,
 * then account name). Returns a GListStore of OflLink. */
void        ofl_store_list_async          (OflStore            *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
GListModel *ofl_store_list_finish         (OflStore            *self,
                                           GAsyncResult        *result,
                                           GError             **error);

/* Removes the secret and the details; OFL_ERROR_NO_SUCH_LINK when the
 * keyring had no such item (its details are removed all the same). */
void        ofl_store_remove_async        (OflStore            *self,
                                           OflLink             *link,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean    ofl_store_remove_finish       (OflStore            *self,
                                           GAsyncResult        *result,
                                           GError             **error);

/* Writes the link's details and status (not the secret).
 * OFL_ERROR_NO_SUCH_LINK when the keyring no longer holds the link. */
void        ofl_store_update_async        (OflStore            *self,
                                           OflLink             *link,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean    ofl_store_update_finish       (OflStore            *self,
                                           GAsyncResult        *result,
                                           GError             **error);

G_END_DECLS
