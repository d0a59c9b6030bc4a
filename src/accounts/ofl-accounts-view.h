/* ofl-accounts-view.h: the stored links, with Check now, Re-link, Remove */
#pragma once

#include <adwaita.h>

#include "ofl-client.h"
#include "ofl-link.h"
#include "ofl-store.h"

G_BEGIN_DECLS

#define OFL_TYPE_ACCOUNTS_VIEW (ofl_accounts_view_get_type ())
G_DECLARE_FINAL_TYPE (OflAccountsView, ofl_accounts_view, OFL, ACCOUNTS_VIEW, AdwBin)

void        ofl_accounts_view_set_store    (OflAccountsView *self,
                                            OflStore        *store);
/* A model of OflLink (a GListStore from ofl_store_list_finish). */
void        ofl_accounts_view_set_links    (OflAccountsView *self,
                                            GListModel      *links);
GListModel *ofl_accounts_view_get_links    (OflAccountsView *self);
/* Expands, focuses and marks the row of the link with @link's identity. */
void        ofl_accounts_view_highlight    (OflAccountsView *self,
                                            OflLink         *link);
/* The row for @email, or NULL (for tests). */
GtkWidget  *ofl_accounts_view_find_row     (OflAccountsView *self,
                                            const char      *email);
/* Checks a link now (ofl_link_check_async); a toast says how it went. */
void        ofl_accounts_view_check        (OflAccountsView *self,
                                            OflLink         *link);
/* Checks every link not being checked already. @background: no toasts;
 * the rows and the banner show the verdicts. */
void        ofl_accounts_view_check_all    (OflAccountsView *self,
                                            gboolean         background);
/* Tells a screen reader @text (gtk_accessible_announce). */
void        ofl_accounts_view_announce     (OflAccountsView *self,
                                            const char      *text,
                                            GtkAccessibleAnnouncementPriority priority);
/* How many links are being checked now. A check someone asked for, and
 * the end of a check of every link, are announced. */
guint       ofl_accounts_view_get_n_busy   (OflAccountsView *self);

/* Signals:
 *   relink-requested (OflLink *link)
 *   empty ()   the last link was removed
 *   link-checked (OflLink *link, gboolean background)   a check ended
 *     with a verdict or an error (not when cancelled) */

G_END_DECLS
