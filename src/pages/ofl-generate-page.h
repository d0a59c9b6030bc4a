/* ofl-generate-page.h */
#pragma once

#include "ofl-assistant-page.h"

G_BEGIN_DECLS

#define OFL_TYPE_GENERATE_PAGE (ofl_generate_page_get_type ())
G_DECLARE_FINAL_TYPE (OflGeneratePage, ofl_generate_page, OFL, GENERATE_PAGE, OflAssistantPage)

G_END_DECLS
