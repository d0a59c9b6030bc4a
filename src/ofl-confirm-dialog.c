/* ofl-confirm-dialog.c: a question whose yes destroys something
 *
 * The destructive answer is styled as such; Enter and Escape both keep
 * things as they are, so nothing is lost by a reflex. */

#include "config.h"

#include "ofl-confirm-dialog.h"

AdwDialog *
ofl_confirm_dialog_new (const char *heading,
                        const char *body,
                        const char *keep_id,
                        const char *keep_label,
                        const char *destroy_id,
                        const char *destroy_label)
{
  AdwAlertDialog *dialog = ADW_ALERT_DIALOG (adw_alert_dialog_new (heading, body));

  adw_alert_dialog_add_responses (dialog,
                                  keep_id, keep_label,
                                  destroy_id, destroy_label,
                                  NULL);
  adw_alert_dialog_set_response_appearance (dialog, destroy_id, ADW_RESPONSE_DESTRUCTIVE);
  adw_alert_dialog_set_default_response (dialog, keep_id);
  adw_alert_dialog_set_close_response (dialog, keep_id);

  return ADW_DIALOG (dialog);
}
