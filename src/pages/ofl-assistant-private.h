/* ofl-assistant-private.h: for the assistant itself and its tests */
#pragma once

#include "ofl-assistant.h"

G_BEGIN_DECLS

OflPageId   ofl_assistant_get_current  (OflAssistant *self);
/* A page's apply (the Connect page's checks) is running. */
gboolean    ofl_assistant_get_busy     (OflAssistant *self);

G_END_DECLS
