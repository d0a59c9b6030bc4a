/* ofl-failure-card.h: a failure that leads the Connect page: an icon,
 * the title, the reason in plain words, and the button that fixes it */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define OFL_TYPE_FAILURE_CARD (ofl_failure_card_get_type ())
G_DECLARE_FINAL_TYPE (OflFailureCard, ofl_failure_card, OFL, FAILURE_CARD, GtkBox)

/* Shows @error under its title from the presentation table, in the
 * words of @message (the error's own, and what the page adds), with the
 * fix button labelled @fix_label, and @offer_separate the button that
 * keeps another account's token as a link of its own. The fix button
 * takes the focus. */
void ofl_failure_card_show  (OflFailureCard *self,
                             const GError   *error,
                             const char     *message,
                             const char     *fix_label,
                             gboolean        offer_separate);
/* Gives the focus to the fix button. */
void ofl_failure_card_focus (OflFailureCard *self);

/* Signals: fix (), separate (), copy (): the buttons. */

G_END_DECLS
