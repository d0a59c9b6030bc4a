/* ofl-email-page.h */
#pragma once

#include "ofl-assistant-page.h"

G_BEGIN_DECLS

#define OFL_TYPE_EMAIL_PAGE (ofl_email_page_get_type ())
G_DECLARE_FINAL_TYPE (OflEmailPage, ofl_email_page, OFL, EMAIL_PAGE, OflAssistantPage)

/* The normalised email, or NULL while the field is not valid. */
char *ofl_email_page_dup_email (OflEmailPage *self);
void  ofl_email_page_set_email (OflEmailPage *self,
                                const char   *email);
/* Shows @message next to the field, in red, until the email is changed:
 * why the Connect page sent the person back here. NULL clears it. */
void  ofl_email_page_show_problem (OflEmailPage *self,
                                   const char   *message);

G_END_DECLS
