/* ofl-secret-clipboard.h: a token on the clipboard, briefly
 *
 * The token is offered as text and with the x-kde-passwordManagerHint
 * type set to "secret", which clipboard managers that honour it do not
 * record (KeePassXC does the same). After OFL_SECRET_CLIPBOARD_SECONDS the
 * clipboard is cleared, if it still holds the token; a toast says so, with
 * the seconds left. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define OFL_SECRET_CLIPBOARD_SECONDS 30

#define OFL_TYPE_SECRET_CLIPBOARD (ofl_secret_clipboard_get_type ())
G_DECLARE_FINAL_TYPE (OflSecretClipboard, ofl_secret_clipboard, OFL, SECRET_CLIPBOARD, GObject)

/* The clipboard of @widget, and the toast overlay it is in. */
OflSecretClipboard *ofl_secret_clipboard_new   (GtkWidget          *widget);
void                ofl_secret_clipboard_copy  (OflSecretClipboard *self,
                                                const char         *secret);
/* Now, if the clipboard still holds what was copied. */
void                ofl_secret_clipboard_clear (OflSecretClipboard *self);

G_END_DECLS
