/* ofl-accounts-view.h: the stored links, with Check now, Re-link, Remove */
#pragma once

#include <adwaita.h>

#include "ofl-links.h"

G_BEGIN_DECLS

#define OFL_TYPE_ACCOUNTS_VIEW (ofl_accounts_view_get_type ())
G_DECLARE_FINAL_TYPE (OflAccountsView, ofl_accounts_view, OFL, ACCOUNTS_VIEW, AdwBin)

/* Shows the links of @service (its model) and acts on them through it. */
void        ofl_accounts_view_set_service  (OflAccountsView *self,
                                            OflLinks        *service);
GListModel *ofl_accounts_view_get_links    (OflAccountsView *self);
/* Expands, focuses and marks the row of the link with @link's identity. */
void        ofl_accounts_view_highlight    (OflAccountsView *self,
                                            OflLink         *link);
/* Checks a link now (ofl_links_check_async); a toast says how it went. */
void        ofl_accounts_view_check        (OflAccountsView *self,
                                            OflLink         *link);
/* Checks every link (ofl_links_check_all_async); the end is announced.
 * @background: nobody asked, so the announcement waits for a pause. */
void        ofl_accounts_view_check_all    (OflAccountsView *self,
                                            gboolean         background);
/* Tells a screen reader @text (gtk_accessible_announce). */
void        ofl_accounts_view_announce     (OflAccountsView *self,
                                            const char      *text,
                                            GtkAccessibleAnnouncementPriority priority);

/* Signals:
 *   relink-requested (OflLink *link)
 *   empty ()   the last link was removed */

G_END_DECLS
