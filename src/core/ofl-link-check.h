/* ofl-link-check.h: checking a stored link now
 *
 * The token comes from the keyring and is verified against the API the
 * link was made with; the verdict is recorded on the link and saved.
 * Shared by the accounts view's "Check Now", the background check and
 * `oneflow-link --check`. */
#pragma once

#include <gio/gio.h>

#include "ofl-link.h"
#include "ofl-store.h"

G_BEGIN_DECLS

/* Marks @link busy while it runs. */
void     ofl_link_check_async  (OflLink              *link,
                                OflStore             *store,
                                GCancellable         *cancellable,
                                GAsyncReadyCallback   callback,
                                gpointer              user_data);
/* TRUE when the link works and its verdict was saved. Otherwise @error
 * says why: the verification's error (the link's status tells whether it
 * now needs attention), OFL_ERROR_OTHER_ACCOUNT, the keyring's error, or
 * -- when only saving the verdict failed -- the store's error. Cancelling
 * records nothing and gives OFL_ERROR_CANCELLED. */
gboolean ofl_link_check_finish (OflLink              *link,
                                GAsyncResult         *result,
                                GError              **error);

G_END_DECLS
