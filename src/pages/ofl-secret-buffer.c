/* ofl-secret-buffer.c: the text buffer of a field that holds a secret
 *
 * The secret is kept in a GtkPasswordEntryBuffer (GTK's secure memory,
 * wiped when it is freed or changed). What anyone reads through the
 * GtkEntryBuffer API while the field is hidden is a mask of the same
 * length: GTK 4.18 gives an editable's AT-SPI Text interface (and its
 * text-changed events) the editable's text, not the text it displays, so
 * a hidden field would otherwise be readable in clear over the
 * accessibility bus. GtkText draws a hidden field from the length alone. */

#include "config.h"

#include <string.h>

#include "ofl-secret-buffer.h"

#define MASK_CHAR "\u25cf"      /* ●, GTK's own invisible character */

struct _OflSecretBuffer
{
  GtkEntryBuffer  parent_instance;

  GtkEntryBuffer *secret;
  GString        *mask;
  gboolean        revealed;
};

G_DEFINE_FINAL_TYPE (OflSecretBuffer, ofl_secret_buffer, GTK_TYPE_ENTRY_BUFFER)

static void
update_mask (OflSecretBuffer *self)
{
  guint length = gtk_entry_buffer_get_length (self->secret);

  g_string_truncate (self->mask, 0);
  for (guint i = 0; i < length; i++)
    g_string_append (self->mask, MASK_CHAR);
}

static const char *
ofl_secret_buffer_get_text (GtkEntryBuffer *buffer,
                            gsize          *n_bytes)
{
  OflSecretBuffer *self = OFL_SECRET_BUFFER (buffer);

  if (self->revealed)
    {
      if (n_bytes != NULL)
        *n_bytes = gtk_entry_buffer_get_bytes (self->secret);
      return gtk_entry_buffer_get_text (self->secret);
    }

  if (n_bytes != NULL)
    *n_bytes = self->mask->len;
  return self->mask->str;
}

static guint
ofl_secret_buffer_get_length (GtkEntryBuffer *buffer)
{
  return gtk_entry_buffer_get_length (OFL_SECRET_BUFFER (buffer)->secret);
}

static guint
ofl_secret_buffer_insert_text (GtkEntryBuffer *buffer,
                               guint           position,
                               const char     *chars,
                               guint           n_chars)
{
  OflSecretBuffer *self = OFL_SECRET_BUFFER (buffer);
  guint inserted = gtk_entry_buffer_insert_text (self->secret, position, chars, n_chars);

  update_mask (self);
  if (self->revealed)
    gtk_entry_buffer_emit_inserted_text (buffer, position, chars, inserted);
  else
    {
      /* Whoever listens hears the mask, not what was typed. */
      g_autoptr(GString) mask = g_string_new (NULL);

      for (guint i = 0; i < inserted; i++)
        g_string_append (mask, MASK_CHAR);
      gtk_entry_buffer_emit_inserted_text (buffer, position, mask->str, inserted);
    }

  return inserted;
}

static guint
ofl_secret_buffer_delete_text (GtkEntryBuffer *buffer,
                               guint           position,
                               guint           n_chars)
{
  /* As in GTK's own buffers, the text goes in the signal's default
   * handler, so that handlers run before it still see what goes. */
  if (n_chars > 0)
    gtk_entry_buffer_emit_deleted_text (buffer, position, n_chars);

  return n_chars;
}

static void
ofl_secret_buffer_deleted_text (GtkEntryBuffer *buffer,
                                guint           position,
                                guint           n_chars)
{
  OflSecretBuffer *self = OFL_SECRET_BUFFER (buffer);

  gtk_entry_buffer_delete_text (self->secret, position, (int) n_chars);
  update_mask (self);

  g_object_notify (G_OBJECT (self), "text");
  g_object_notify (G_OBJECT (self), "length");
}

static void
ofl_secret_buffer_finalize (GObject *object)
{
  OflSecretBuffer *self = OFL_SECRET_BUFFER (object);

  g_clear_object (&self->secret);
  g_string_free (self->mask, TRUE);

  G_OBJECT_CLASS (ofl_secret_buffer_parent_class)->finalize (object);
}

static void
ofl_secret_buffer_class_init (OflSecretBufferClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkEntryBufferClass *buffer_class = GTK_ENTRY_BUFFER_CLASS (klass);

  object_class->finalize = ofl_secret_buffer_finalize;

  buffer_class->get_text = ofl_secret_buffer_get_text;
  buffer_class->get_length = ofl_secret_buffer_get_length;
  buffer_class->insert_text = ofl_secret_buffer_insert_text;
  buffer_class->delete_text = ofl_secret_buffer_delete_text;
  buffer_class->deleted_text = ofl_secret_buffer_deleted_text;
}

static void
ofl_secret_buffer_init (OflSecretBuffer *self)
{
  self->secret = gtk_password_entry_buffer_new ();
  self->mask = g_string_new (NULL);
}

GtkEntryBuffer *
ofl_secret_buffer_new (void)
{
  return g_object_new (OFL_TYPE_SECRET_BUFFER, NULL);
}

const char *
ofl_secret_buffer_get_secret (OflSecretBuffer *self)
{
  g_return_val_if_fail (OFL_IS_SECRET_BUFFER (self), "");

  return gtk_entry_buffer_get_text (self->secret);
}

void
ofl_secret_buffer_set_revealed (OflSecretBuffer *self,
                                gboolean         revealed)
{
  g_return_if_fail (OFL_IS_SECRET_BUFFER (self));

  revealed = !!revealed;
  if (self->revealed == revealed)
    return;

  self->revealed = revealed;
  g_object_notify (G_OBJECT (self), "text");
}
