/* ofl-confirm-dialog.h: a question whose yes destroys something */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

AdwDialog *ofl_confirm_dialog_new (const char *heading,
                                   const char *body,
                                   const char *keep_id,
                                   const char *keep_label,
                                   const char *destroy_id,
                                   const char *destroy_label);

G_END_DECLS
