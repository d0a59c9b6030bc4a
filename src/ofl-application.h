/* ofl-application.h */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define OFL_TYPE_APPLICATION (ofl_application_get_type ())
G_DECLARE_FINAL_TYPE (OflApplication, ofl_application, OFL, APPLICATION, AdwApplication)

OflApplication *ofl_application_new (void);

G_END_DECLS
