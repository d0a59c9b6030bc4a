/* ofl-connect-page.h: step 4, verify with Oneflow and store the link */
#pragma once

#include "ofl-assistant-page.h"
#include "ofl-client.h"
#include "ofl-link.h"
#include "ofl-links.h"

G_BEGIN_DECLS

#define OFL_TYPE_CONNECT_PAGE (ofl_connect_page_get_type ())
G_DECLARE_FINAL_TYPE (OflConnectPage, ofl_connect_page, OFL, CONNECT_PAGE, OflAssistantPage)

/* @client may be NULL when it could not be made; @client_error then says
 * why, and Connect shows it. */
void        ofl_connect_page_set_services    (OflConnectPage *self,
                                              OflClient      *client,
                                              const GError   *client_error,
                                              OflLinks       *links);
/* Takes a wiped-on-free copy of @token; @email is already normalised. */
void        ofl_connect_page_set_credentials (OflConnectPage *self,
                                              const char     *token,
                                              const char     *email);
/* Re-linking @link (or NULL for a new link): verifies against the link's
 * API URL, and a token of another account is refused by name, with an
 * offer to add it as a separate link instead. The save replaces the
 * link's item only after every check passed. */
void        ofl_connect_page_set_relink      (OflConnectPage *self,
                                              OflLink        *link);
OflLink    *ofl_connect_page_get_relink      (OflConnectPage *self);
/* Wipes the token copy and resets the page. */
void        ofl_connect_page_clear           (OflConnectPage *self);
/* The stored link after a successful apply, or NULL. */
OflLink    *ofl_connect_page_get_link        (OflConnectPage *self);
const char *ofl_connect_page_get_limits_note (OflConnectPage *self);

/* Signals:
 *   fix-requested (const char *page, const char *reason_or_null): go to
 *     "token" or "email" to change it; the reason is why, after a failure */

G_END_DECLS
