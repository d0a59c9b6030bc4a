/* ofl-accounts-view-private.h: for the view itself and its tests */
#pragma once

#include "ofl-accounts-view.h"

G_BEGIN_DECLS

/* Shows @links, a model of OflLink, without a service to act on them. */
void        ofl_accounts_view_set_links    (OflAccountsView *self,
                                            GListModel      *links);

G_END_DECLS
