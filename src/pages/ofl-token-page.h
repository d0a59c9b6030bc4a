/* ofl-token-page.h */
#pragma once

#include "ofl-assistant-page.h"

G_BEGIN_DECLS

#define OFL_TYPE_TOKEN_PAGE (ofl_token_page_get_type ())
G_DECLARE_FINAL_TYPE (OflTokenPage, ofl_token_page, OFL, TOKEN_PAGE, OflAssistantPage)

/* The text in the field, or "" (GTK's wiped-on-free buffer). */
const char *ofl_token_page_get_text (OflTokenPage *self);
/* Fills the field (re-linking a link whose token still works). */
void        ofl_token_page_set_text (OflTokenPage *self,
                                     const char   *text);
/* Shows @message next to the field, in red, until the token is changed:
 * why the Connect page sent the person back here. NULL clears it. */
void        ofl_token_page_show_problem (OflTokenPage *self,
                                         const char   *message);

G_END_DECLS
