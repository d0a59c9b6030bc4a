/* ofl-client-private.h: for the client itself and its tests */
#pragma once

#include "ofl-client.h"

G_BEGIN_DECLS

/* Trust exactly this database instead of the system's. */
void          ofl_client_set_tls_database   (OflClient            *self,
                                             GTlsDatabase         *database);
/* Delay before the single retry after a 5xx or a network error. */
void          ofl_client_set_retry_delay    (OflClient            *self,
                                             guint                 milliseconds);

G_END_DECLS
