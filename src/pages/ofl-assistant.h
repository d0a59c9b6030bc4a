/* ofl-assistant.h: the pages of linking, with Back, Next and Cancel */
#pragma once

#include <adwaita.h>

#include "ofl-client.h"
#include "ofl-link.h"
#include "ofl-assistant-page.h"
#include "ofl-links.h"

G_BEGIN_DECLS

typedef enum {
  OFL_PAGE_ENABLE,
  OFL_PAGE_GENERATE,
  OFL_PAGE_TOKEN,
  OFL_PAGE_EMAIL,
  OFL_PAGE_CONNECT,
  OFL_N_PAGES
} OflPageId;

#define OFL_TYPE_ASSISTANT (ofl_assistant_get_type ())
G_DECLARE_FINAL_TYPE (OflAssistant, ofl_assistant, OFL, ASSISTANT, AdwBin)

void              ofl_assistant_set_services (OflAssistant     *self,
                                              OflClient        *client,
                                              const GError     *client_error,
                                              OflLinks         *links);
/* Forgets everything and opens at @page; @email (or NULL) is filled in.
 * Re-linking opens at the token page with the email of the link. */
void              ofl_assistant_start        (OflAssistant     *self,
                                              OflPageId  page,
                                              const char       *email);
/* Re-links @link: opens where the repair starts (ofl_assistant_relink_page)
 * with the email filled in and a note that says why. When only the user
 * is the problem, @stored_token (the link's token, still good) fills the
 * token field; without it the trip starts at Generate. Only a verified
 * token of the same account replaces the link's secret. */
void              ofl_assistant_start_relink (OflAssistant     *self,
                                              OflLink          *link,
                                              const char       *stored_token);
/* Generate the token, or the email page when the user is the problem. */
OflPageId         ofl_assistant_relink_page  (OflLink          *link);
/* The link being re-linked, or NULL. */
OflLink          *ofl_assistant_get_relink   (OflAssistant     *self);
OflAssistantPage          *ofl_assistant_get_page     (OflAssistant     *self,
                                              OflPageId  page);
/* Whether Cancel would lose something typed. */
gboolean          ofl_assistant_has_input    (OflAssistant     *self);
/* Forgets everything typed and stops any check. */
void              ofl_assistant_discard      (OflAssistant     *self);

/* Properties:
 *   busy
 *   window-title: while re-linking, "Generate Token – Re-link EMAIL"
 *     for the window manager; NULL otherwise
 * Signals:
 *   finished (OflLink *link_or_null): linked, or cancelled (NULL) */

G_END_DECLS
