/* ofl-window.h */
#pragma once

#include <adwaita.h>

#include "ofl-application.h"

G_BEGIN_DECLS

#define OFL_TYPE_WINDOW (ofl_window_get_type ())
G_DECLARE_FINAL_TYPE (OflWindow, ofl_window, OFL, WINDOW, AdwApplicationWindow)

OflWindow *ofl_window_new (OflApplication *application);

G_END_DECLS
