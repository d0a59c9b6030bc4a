/* ofl-connect-page-private.h: for the page itself and its tests */
#pragma once

#include "ofl-connect-page.h"

G_BEGIN_DECLS

/* The last failure, or NULL. */
const GError *ofl_connect_page_get_error (OflConnectPage *self);

G_END_DECLS
