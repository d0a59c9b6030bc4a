/* ofl-welcome-page.h: what the app does, shown while no link exists */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define OFL_TYPE_WELCOME_PAGE (ofl_welcome_page_get_type ())
G_DECLARE_FINAL_TYPE (OflWelcomePage, ofl_welcome_page, OFL, WELCOME_PAGE, AdwBin)

G_END_DECLS
