/* ofl-links-private.h: for the service itself and its tests */
#pragma once

#include "ofl-links.h"

G_BEGIN_DECLS

OflStore   *ofl_links_get_store (OflLinks *self);

G_END_DECLS
