/* ofl-links.h: the links of this desktop, and everything done to them
 *
 * One service for every front end: the assistant, the accounts view, the
 * background check and the command line are thin clients of it. It owns
 * the store, keeps the links as a model, and holds the rules once: a
 * token is saved only after every check passed, a re-link never takes
 * another account's token in place of a link, and a check that Oneflow
 * answers with "no" makes a link need attention. The application owns
 * the one instance (ofl_application_get_links). */
#pragma once

#include <gio/gio.h>

#include "ofl-link.h"
#include "ofl-store.h"
#include "ofl-verifier.h"

G_BEGIN_DECLS

#define OFL_TYPE_LINKS (ofl_links_get_type ())
G_DECLARE_FINAL_TYPE (OflLinks, ofl_links, OFL, LINKS, GObject)

/* What a link made or repaired came to. */
typedef struct {
  OflLink *link;         /* as saved, and now in the model */
  OflLink *replaced;     /* the link it took the place of, or NULL */
  char    *limits_note;  /* a cap on what was kept, in a sentence, or NULL */
} OflLinkResult;

void ofl_link_result_free (OflLinkResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OflLinkResult, ofl_link_result_free)

/* How one check of a check_all run ended: @error is NULL when the link
 * works (its status tells the verdict either way). */
typedef struct {
  OflLink *link;
  GError  *error;
} OflCheckOutcome;

OflLinks   *ofl_links_new               (OflStore             *store);
/* Every link, an OflLink each, sorted by email and then account name
 * (ofl_link_compare); empty until the first load has finished. */
GListModel *ofl_links_get_model         (OflLinks             *self);
/* The links of @email (in @account_id, unless NULL), those that need
 * attention first. */
GPtrArray  *ofl_links_find              (OflLinks             *self,
                                         const char           *email,
                                         const char           *account_id_or_null);

/* Reads the links from the keyring and their details again. */
void        ofl_links_load_async        (OflLinks             *self,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
gboolean    ofl_links_load_finish       (OflLinks             *self,
                                         GAsyncResult         *result,
                                         GError              **error);
/* The same, except that a load under way answers it too: for the first
 * read of a process that has just started one (the application starts
 * it before GTK, the window joins it). The load itself is not cancelled
 * with @cancellable, as others may wait for it. Finish it with
 * ofl_links_load_finish(). */
void        ofl_links_join_load_async   (OflLinks             *self,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);

/* Verifies @token and @email with @verifier (made for the API the link is
 * for, so a caller can follow its steps), applies the same-account rule
 * when re-linking @relink_or_null (unless @allow_other_account: the token
 * then becomes a link of its own), and only then saves it. A re-link with
 * another user of the same account removes the old link once the new one
 * is saved. A failure leaves every saved link as it was. */
void           ofl_links_link_async     (OflLinks             *self,
                                         OflVerifier          *verifier,
                                         const char           *token,
                                         const char           *email,
                                         OflLink              *relink_or_null,
                                         gboolean              allow_other_account,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
OflLinkResult *ofl_links_link_finish    (OflLinks             *self,
                                         GAsyncResult         *result,
                                         GError              **error);

/* Checks @link now against the API it was made with and saves the
 * verdict. Marks the link busy while it runs; asked again meanwhile, the
 * same check answers both. TRUE when the link works; otherwise @error
 * says why (the link's status tells whether it now needs attention). */
void        ofl_links_check_async       (OflLinks             *self,
                                         OflLink              *link,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
gboolean    ofl_links_check_finish      (OflLinks             *self,
                                         GAsyncResult         *result,
                                         GError              **error);
/* Checks every link at once (loading them first if need be). Returns an
 * OflCheckOutcome for each, in model order, or NULL with @error when
 * the links could not be read. */
void        ofl_links_check_all_async   (OflLinks             *self,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
GPtrArray  *ofl_links_check_all_finish  (OflLinks             *self,
                                         GAsyncResult         *result,
                                         GError              **error);

/* Removes the token and the details. OFL_ERROR_NO_SUCH_LINK when the
 * keyring no longer had the token (the link is gone all the same). */
void        ofl_links_unlink_async      (OflLinks             *self,
                                         OflLink              *link,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
gboolean    ofl_links_unlink_finish     (OflLinks             *self,
                                         GAsyncResult         *result,
                                         GError              **error);

/* The saved token of @link, in wiped-on-free memory; one that is empty or
 * damaged (a keyring that died while saving) is OFL_ERROR_TOKEN_REJECTED. */
void        ofl_links_lookup_token_async  (OflLinks           *self,
                                           OflLink            *link,
                                           GCancellable       *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer            user_data);
OflSecret  *ofl_links_lookup_token_finish (OflLinks           *self,
                                           GAsyncResult       *result,
                                           GError            **error);

/* Signals:
 *   checked (OflLink *link, GError *error_or_null): a check ended with a
 *     verdict or an error, not when it was cancelled
 *   checked-all (GPtrArray *outcomes): a check_all run ended, not cut
 *     short; OflCheckOutcome elements, as check_all_finish gives them
 *   linked (OflLink *link, OflLink *replaced_or_null): a link was saved
 *   unlinked (OflLink *link): a link was removed
 * Properties: loaded (gboolean). */

G_END_DECLS
