/* ofl-client-private.h: for the client itself and its tests */
#pragma once

#include "ofl-client.h"

G_BEGIN_DECLS

/* Delay before the single retry after a 5xx or a network error. */
void          ofl_client_set_retry_delay    (OflClient            *self,
                                             guint                 milliseconds);

G_END_DECLS
