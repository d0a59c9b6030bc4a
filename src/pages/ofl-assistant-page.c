/* ofl-assistant-page.c: the abstract assistant page */

#include "config.h"

#include <glib/gi18n.h>

#include "ofl-assistant-page.h"

typedef struct
{
  char     *title;
  guint     step;
  gboolean  complete;
  gulong    map_handler;
} OflAssistantPagePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (OflAssistantPage, ofl_assistant_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_COMPLETE,
  PROP_TITLE,
  PROP_STEP,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
ofl_assistant_page_real_shown (OflAssistantPage *self)
{
  gtk_widget_child_focus (GTK_WIDGET (self), GTK_DIR_TAB_FORWARD);
}

static void
ofl_assistant_page_real_apply_async (OflAssistantPage             *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, ofl_assistant_page_real_apply_async);
  g_task_return_boolean (task, TRUE);
}

static gboolean
ofl_assistant_page_real_apply_finish (OflAssistantPage       *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
ofl_assistant_page_real_discard (OflAssistantPage *self)
{
}

static gboolean
ofl_assistant_page_real_has_input (OflAssistantPage *self)
{
  return FALSE;
}

#define OFL_ONEFLOW_URL "https://app.oneflow.com"

static void
open_oneflow_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  GtkRoot *root = gtk_widget_get_root (widget);

  g_autoptr(GtkUriLauncher) launcher = gtk_uri_launcher_new (OFL_ONEFLOW_URL);

  /* Through the desktop's URI handler (the OpenURI portal in Flatpak). */
  gtk_uri_launcher_launch (launcher, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                           NULL, NULL, NULL);
}

static void
ofl_assistant_page_finalize (GObject *object)
{
  OflAssistantPage *self = OFL_ASSISTANT_PAGE (object);
  OflAssistantPagePrivate *priv = ofl_assistant_page_get_instance_private (self);

  g_clear_pointer (&priv->title, g_free);

  G_OBJECT_CLASS (ofl_assistant_page_parent_class)->finalize (object);
}

static void
ofl_assistant_page_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  OflAssistantPage *self = OFL_ASSISTANT_PAGE (object);

  switch (prop_id)
    {
    case PROP_COMPLETE:
      g_value_set_boolean (value, ofl_assistant_page_get_complete (self));
      break;
    case PROP_TITLE:
      g_value_set_string (value, ofl_assistant_page_get_title (self));
      break;
    case PROP_STEP:
      g_value_set_uint (value, ofl_assistant_page_get_step (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ofl_assistant_page_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  OflAssistantPage *self = OFL_ASSISTANT_PAGE (object);

  switch (prop_id)
    {
    case PROP_COMPLETE:
      ofl_assistant_page_set_complete (self, g_value_get_boolean (value));
      break;
    case PROP_TITLE:
      ofl_assistant_page_set_title (self, g_value_get_string (value));
      break;
    case PROP_STEP:
      ofl_assistant_page_set_step (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ofl_assistant_page_class_init (OflAssistantPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ofl_assistant_page_finalize;
  object_class->get_property = ofl_assistant_page_get_property;
  object_class->set_property = ofl_assistant_page_set_property;

  klass->shown = ofl_assistant_page_real_shown;
  klass->apply_async = ofl_assistant_page_real_apply_async;
  klass->apply_finish = ofl_assistant_page_real_apply_finish;
  klass->discard = ofl_assistant_page_real_discard;
  klass->has_input = ofl_assistant_page_real_has_input;

  properties[PROP_COMPLETE] =
    g_param_spec_boolean ("complete", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STEP] =
    g_param_spec_uint ("step", NULL, NULL, 0, 4, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (GTK_WIDGET_CLASS (klass), "page.open-oneflow", NULL,
                                   open_oneflow_action);
}

static void
ofl_assistant_page_init (OflAssistantPage *self)
{
}

gboolean
ofl_assistant_page_get_complete (OflAssistantPage *self)
{
  OflAssistantPagePrivate *priv = ofl_assistant_page_get_instance_private (self);

  g_return_val_if_fail (OFL_IS_ASSISTANT_PAGE (self), FALSE);

  return priv->complete;
}

void
ofl_assistant_page_set_complete (OflAssistantPage  *self,
                       gboolean  complete)
{
  OflAssistantPagePrivate *priv = ofl_assistant_page_get_instance_private (self);

  g_return_if_fail (OFL_IS_ASSISTANT_PAGE (self));

  complete = !!complete;
  if (priv->complete == complete)
    return;

  priv->complete = complete;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETE]);
}

const char *
ofl_assistant_page_get_title (OflAssistantPage *self)
{
  OflAssistantPagePrivate *priv = ofl_assistant_page_get_instance_private (self);

  g_return_val_if_fail (OFL_IS_ASSISTANT_PAGE (self), NULL);

  return priv->title;
}

void
ofl_assistant_page_set_title (OflAssistantPage    *self,
                    const char *title)
{
  OflAssistantPagePrivate *priv = ofl_assistant_page_get_instance_private (self);

  g_return_if_fail (OFL_IS_ASSISTANT_PAGE (self));

  if (g_strcmp0 (priv->title, title) == 0)
    return;

  g_free (priv->title);
  priv->title = g_strdup (title);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

guint
ofl_assistant_page_get_step (OflAssistantPage *self)
{
  OflAssistantPagePrivate *priv = ofl_assistant_page_get_instance_private (self);

  g_return_val_if_fail (OFL_IS_ASSISTANT_PAGE (self), 0);

  return priv->step;
}

void
ofl_assistant_page_set_step (OflAssistantPage *self,
                   guint    step)
{
  OflAssistantPagePrivate *priv = ofl_assistant_page_get_instance_private (self);

  g_return_if_fail (OFL_IS_ASSISTANT_PAGE (self));

  if (priv->step == step)
    return;

  priv->step = step;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STEP]);
}

static void
shown_on_map_cb (OflAssistantPage *self)
{
  OflAssistantPagePrivate *priv = ofl_assistant_page_get_instance_private (self);

  g_clear_signal_handler (&priv->map_handler, self);
  OFL_ASSISTANT_PAGE_GET_CLASS (self)->shown (self);
}

void
ofl_assistant_page_shown (OflAssistantPage *self)
{
  OflAssistantPagePrivate *priv = ofl_assistant_page_get_instance_private (self);

  g_return_if_fail (OFL_IS_ASSISTANT_PAGE (self));

  /* Focus goes to the page once it is on screen: a focus given to a
   * widget not realized yet (a page of an assistant just made, or of one
   * not shown yet) reaches no screen reader. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      if (priv->map_handler == 0)
        priv->map_handler = g_signal_connect (self, "map", G_CALLBACK (shown_on_map_cb), NULL);
      return;
    }

  g_clear_signal_handler (&priv->map_handler, self);
  OFL_ASSISTANT_PAGE_GET_CLASS (self)->shown (self);
}

void
ofl_assistant_page_apply_async (OflAssistantPage             *self,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_return_if_fail (OFL_IS_ASSISTANT_PAGE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  OFL_ASSISTANT_PAGE_GET_CLASS (self)->apply_async (self, cancellable, callback, user_data);
}

gboolean
ofl_assistant_page_apply_finish (OflAssistantPage       *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (OFL_IS_ASSISTANT_PAGE (self), FALSE);

  return OFL_ASSISTANT_PAGE_GET_CLASS (self)->apply_finish (self, result, error);
}

void
ofl_assistant_page_discard (OflAssistantPage *self)
{
  g_return_if_fail (OFL_IS_ASSISTANT_PAGE (self));

  OFL_ASSISTANT_PAGE_GET_CLASS (self)->discard (self);
}

gboolean
ofl_assistant_page_has_input (OflAssistantPage *self)
{
  g_return_val_if_fail (OFL_IS_ASSISTANT_PAGE (self), FALSE);

  return OFL_ASSISTANT_PAGE_GET_CLASS (self)->has_input (self);
}

void
ofl_assistant_page_set_field_state (GtkWidget     *field,
                                    GtkLabel      *message_label,
                                    GtkWidget     *sign,
                                    OflFieldState  state,
                                    const char    *message)
{
  gboolean invalid = state == OFL_FIELD_INVALID;
  gboolean shown = message != NULL && *message != '\0';

  if (invalid)
    gtk_widget_add_css_class (field, "error");
  else
    gtk_widget_remove_css_class (field, "error");

  gtk_accessible_update_state (GTK_ACCESSIBLE (field),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               invalid ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);

  /* Red only for a problem; a count or "looks right" is quiet. The
   * message is the field's description through described-by. */
  if (invalid)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (message_label), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (message_label), "error");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (message_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (message_label), "dim-label");
    }
  gtk_label_set_label (message_label, shown ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (message_label), shown);

  if (sign != NULL)
    gtk_widget_set_visible (sign, state == OFL_FIELD_VALID);
}

void
ofl_assistant_page_name_entry_row (AdwEntryRow *row)
{
  const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
  g_autofree char *plain = NULL;

  /* libadwaita 1.7 to 1.10 name an entry row's list item by its title
   * twice ("API Token API Token": labelled by two labels of the title),
   * which a screen reader says as the focus enters the row. Its text is
   * named right, once; the row is named by the title as shown. */
  if (!pango_parse_markup (title, -1, adw_preferences_row_get_use_underline (ADW_PREFERENCES_ROW (row)) ? '_' : 0,
                           NULL, &plain, NULL, NULL))
    plain = g_strdup (title);
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, plain, -1);
}

void
ofl_assistant_page_relate_message (GtkWidget *field,
                                   GtkWidget *message)
{
  /* Reference lists in the varargs form end with NULL (GTK 4.14 and later). */
  gtk_accessible_update_relation (GTK_ACCESSIBLE (field),
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, message, NULL,
                                  GTK_ACCESSIBLE_RELATION_ERROR_MESSAGE, message, NULL,
                                  -1);
}
