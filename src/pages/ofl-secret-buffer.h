/* ofl-secret-buffer.h: the text buffer of a field that holds a secret */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define OFL_TYPE_SECRET_BUFFER (ofl_secret_buffer_get_type ())
G_DECLARE_FINAL_TYPE (OflSecretBuffer, ofl_secret_buffer, OFL, SECRET_BUFFER, GtkEntryBuffer)

GtkEntryBuffer *ofl_secret_buffer_new          (void);
/* The secret itself (GTK's wiped-on-free memory); "" when empty. */
const char     *ofl_secret_buffer_get_secret   (OflSecretBuffer *self);
/* While revealed (the field shows its text), the buffer's text is the
 * secret; otherwise it is one "●" a character. */
void            ofl_secret_buffer_set_revealed (OflSecretBuffer *self,
                                                gboolean         revealed);

G_END_DECLS
