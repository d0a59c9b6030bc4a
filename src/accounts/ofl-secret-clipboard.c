/* ofl-secret-clipboard.c: a token on the clipboard, briefly */

#include "config.h"

#include <glib/gi18n.h>

#include "ofl-secret-clipboard.h"

struct _OflSecretClipboard
{
  GObject             parent_instance;

  GtkWidget          *widget;
  GdkContentProvider *copied;
  AdwToast           *toast;
  guint               seconds_left;
  guint               tick;
};

G_DEFINE_FINAL_TYPE (OflSecretClipboard, ofl_secret_clipboard, G_TYPE_OBJECT)

static GdkClipboard *
clipboard (OflSecretClipboard *self)
{
  return self->widget ? gtk_widget_get_clipboard (self->widget) : NULL;
}

static char *
countdown_text (guint seconds)
{
  return g_strdup_printf (ngettext ("API token copied. It leaves the clipboard in %u second.",
                                    "API token copied. It leaves the clipboard in %u seconds.", seconds),
                          seconds);
}

static void
stop (OflSecretClipboard *self)
{
  g_clear_handle_id (&self->tick, g_source_remove);
  if (self->toast != NULL)
    adw_toast_dismiss (self->toast);
  g_clear_object (&self->toast);
  g_clear_object (&self->copied);
}

void
ofl_secret_clipboard_clear (OflSecretClipboard *self)
{
  GdkClipboard *board;

  g_return_if_fail (OFL_IS_SECRET_CLIPBOARD (self));

  board = clipboard (self);
  /* Only what we put there: something copied since stays. */
  if (board != NULL && self->copied != NULL && gdk_clipboard_get_content (board) == self->copied)
    gdk_clipboard_set_content (board, NULL);
  stop (self);
}

static gboolean
tick_cb (gpointer user_data)
{
  OflSecretClipboard *self = user_data;
  g_autofree char *text = NULL;

  if (--self->seconds_left > 0)
    {
      text = countdown_text (self->seconds_left);
      if (self->toast != NULL)
        adw_toast_set_title (self->toast, text);
      return G_SOURCE_CONTINUE;
    }

  self->tick = 0;
  ofl_secret_clipboard_clear (self);
  return G_SOURCE_REMOVE;
}

void
ofl_secret_clipboard_copy (OflSecretClipboard *self,
                           const char         *secret)
{
  g_autoptr(GBytes) hint = g_bytes_new_static ("secret", 6);
  GdkContentProvider *providers[2];
  g_autofree char *text = NULL;
  GtkWidget *overlay;
  GdkClipboard *board;

  g_return_if_fail (OFL_IS_SECRET_CLIPBOARD (self));
  g_return_if_fail (secret != NULL);

  board = clipboard (self);
  if (board == NULL)
    return;
  stop (self);

  providers[0] = gdk_content_provider_new_typed (G_TYPE_STRING, secret);
  providers[1] = gdk_content_provider_new_for_bytes ("x-kde-passwordManagerHint", hint);
  self->copied = gdk_content_provider_new_union (providers, G_N_ELEMENTS (providers));
  gdk_clipboard_set_content (board, self->copied);

  self->seconds_left = OFL_SECRET_CLIPBOARD_SECONDS;
  self->tick = g_timeout_add_seconds (1, tick_cb, self);

  text = countdown_text (self->seconds_left);
  self->toast = adw_toast_new (text);
  adw_toast_set_timeout (self->toast, 0);
  overlay = gtk_widget_get_ancestor (self->widget, ADW_TYPE_TOAST_OVERLAY);
  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), g_object_ref (self->toast));
}

static void
ofl_secret_clipboard_dispose (GObject *object)
{
  OflSecretClipboard *self = OFL_SECRET_CLIPBOARD (object);

  /* Going away (the window closes): the token goes too. */
  ofl_secret_clipboard_clear (self);
  g_clear_weak_pointer (&self->widget);

  G_OBJECT_CLASS (ofl_secret_clipboard_parent_class)->dispose (object);
}

static void
ofl_secret_clipboard_class_init (OflSecretClipboardClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ofl_secret_clipboard_dispose;
}

static void
ofl_secret_clipboard_init (OflSecretClipboard *self)
{
}

OflSecretClipboard *
ofl_secret_clipboard_new (GtkWidget *widget)
{
  OflSecretClipboard *self = g_object_new (OFL_TYPE_SECRET_CLIPBOARD, NULL);

  g_set_weak_pointer (&self->widget, widget);
  return self;
}
