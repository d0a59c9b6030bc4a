/* ofl-enable-page.h */
#pragma once

#include "ofl-assistant-page.h"

G_BEGIN_DECLS

#define OFL_TYPE_ENABLE_PAGE (ofl_enable_page_get_type ())
G_DECLARE_FINAL_TYPE (OflEnablePage, ofl_enable_page, OFL, ENABLE_PAGE, OflAssistantPage)

G_END_DECLS
