/* ofl-assistant-page.c: the abstract assistant page */

#include "config.h"

#include <glib/gi18n.h>

#include "ofl-assistant-page.h"

typedef struct
{
  AdwToolbarView *toolbar_view;
  AdwHeaderBar   *header_bar;
  AdwWindowTitle *window_title;
  GtkButton      *cancel_button;
  GtkButton      *next_button;
  GtkLabel       *step_caption;
  AdwBanner      *relink_banner;
  gboolean        complete;
  gboolean        narrow;
  gulong          map_handler;
} OflAssistantPagePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (OflAssistantPage, ofl_assistant_page, ADW_TYPE_NAVIGATION_PAGE)

enum {
  PROP_0,
  PROP_COMPLETE,
  PROP_CONTENT,
  PROP_SHOW_NEXT,
  PROP_NARROW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
ofl_assistant_page_real_shown (OflAssistantPage *self)
{
  gtk_widget_child_focus (GTK_WIDGET (self), GTK_DIR_TAB_FORWARD);
}

/* A page sliding away is still mapped. Its header must not take key
 * presses then: with two "_Next" buttons on screen, GTK treats Alt+N as
 * an ambiguous mnemonic and only moves the focus between them. */
static void
ofl_assistant_page_disable_header (AdwNavigationPage *page)
{
  OflAssistantPagePrivate *priv = ofl_assistant_page_get_instance_private (OFL_ASSISTANT_PAGE (page));

  gtk_widget_set_sensitive (GTK_WIDGET (priv->header_bar), FALSE);
}

/* Also on ::shown: a swipe-back the person lets go of hides a page and
 * then shows it again, without ::showing. */
static void
ofl_assistant_page_enable_header (AdwNavigationPage *page)
{
  OflAssistantPagePrivate *priv = ofl_assistant_page_get_instance_private (OFL_ASSISTANT_PAGE (page));

  gtk_widget_set_sensitive (GTK_WIDGET (priv->header_bar), TRUE);
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

/* A narrow header has no room for the title: the step goes under it. */
static void
update_caption (OflAssistantPage *self)
{
  OflAssistantPagePrivate *priv = ofl_assistant_page_get_instance_private (self);
  const char *step = adw_window_title_get_subtitle (priv->window_title);

  adw_header_bar_set_show_title (priv->header_bar, !priv->narrow);
  gtk_label_set_label (priv->step_caption, step);
  gtk_widget_set_visible (GTK_WIDGET (priv->step_caption), priv->narrow && *step != '\0');
}

static void
ofl_assistant_page_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  OflAssistantPage *self = OFL_ASSISTANT_PAGE (object);
  OflAssistantPagePrivate *priv = ofl_assistant_page_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_COMPLETE:
      g_value_set_boolean (value, ofl_assistant_page_get_complete (self));
      break;
    case PROP_CONTENT:
      g_value_set_object (value, adw_toolbar_view_get_content (priv->toolbar_view));
      break;
    case PROP_SHOW_NEXT:
      g_value_set_boolean (value, gtk_widget_get_visible (GTK_WIDGET (priv->next_button)));
      break;
    case PROP_NARROW:
      g_value_set_boolean (value, priv->narrow);
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
  OflAssistantPagePrivate *priv = ofl_assistant_page_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_COMPLETE:
      ofl_assistant_page_set_complete (self, g_value_get_boolean (value));
      break;
    case PROP_CONTENT:
      adw_toolbar_view_set_content (priv->toolbar_view, g_value_get_object (value));
      break;
    case PROP_SHOW_NEXT:
      gtk_widget_set_visible (GTK_WIDGET (priv->next_button), g_value_get_boolean (value));
      break;
    case PROP_NARROW:
      if (priv->narrow != g_value_get_boolean (value))
        {
          priv->narrow = g_value_get_boolean (value);
          update_caption (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ofl_assistant_page_class_init (OflAssistantPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AdwNavigationPageClass *page_class = ADW_NAVIGATION_PAGE_CLASS (klass);

  object_class->get_property = ofl_assistant_page_get_property;
  object_class->set_property = ofl_assistant_page_set_property;

  page_class->showing = ofl_assistant_page_enable_header;
  page_class->shown = ofl_assistant_page_enable_header;
  page_class->hiding = ofl_assistant_page_disable_header;

  klass->shown = ofl_assistant_page_real_shown;
  klass->apply_async = ofl_assistant_page_real_apply_async;
  klass->apply_finish = ofl_assistant_page_real_apply_finish;
  klass->discard = ofl_assistant_page_real_discard;
  klass->has_input = ofl_assistant_page_real_has_input;

  properties[PROP_COMPLETE] =
    g_param_spec_boolean ("complete", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* What the page shows under its header bar. */
  properties[PROP_CONTENT] =
    g_param_spec_object ("content", NULL, NULL, GTK_TYPE_WIDGET,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /* The last page has its own button in place of Next. */
  properties[PROP_SHOW_NEXT] =
    g_param_spec_boolean ("show-next", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /* Set through the window's breakpoint: the header shows no title. */
  properties[PROP_NARROW] =
    g_param_spec_boolean ("narrow", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/pages/ofl-assistant-page.ui");
  gtk_widget_class_bind_template_child_private (widget_class, OflAssistantPage, toolbar_view);
  gtk_widget_class_bind_template_child_private (widget_class, OflAssistantPage, header_bar);
  gtk_widget_class_bind_template_child_private (widget_class, OflAssistantPage, window_title);
  gtk_widget_class_bind_template_child_private (widget_class, OflAssistantPage, cancel_button);
  gtk_widget_class_bind_template_child_private (widget_class, OflAssistantPage, next_button);
  gtk_widget_class_bind_template_child_private (widget_class, OflAssistantPage, step_caption);
  gtk_widget_class_bind_template_child_private (widget_class, OflAssistantPage, relink_banner);

  gtk_widget_class_install_action (widget_class, "page.open-oneflow", NULL, open_oneflow_action);
}

static void
ofl_assistant_page_init (OflAssistantPage *self)
{
  OflAssistantPagePrivate *priv = ofl_assistant_page_get_instance_private (self);

  gtk_widget_init_template (GTK_WIDGET (self));
  g_object_bind_property (self, "title", priv->window_title, "title", G_BINDING_SYNC_CREATE);
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

void
ofl_assistant_page_set_step (OflAssistantPage *self,
                             guint             step,
                             guint             n_steps)
{
  OflAssistantPagePrivate *priv = ofl_assistant_page_get_instance_private (self);
  g_autofree char *subtitle = NULL;

  g_return_if_fail (OFL_IS_ASSISTANT_PAGE (self));

  /* Translators: the header bar subtitle, e.g. "Step 2 of 5" */
  subtitle = g_strdup_printf (_("Step %u of %u"), step, n_steps);
  adw_window_title_set_subtitle (priv->window_title, subtitle);
  update_caption (self);
}

void
ofl_assistant_page_set_note (OflAssistantPage *self,
                             const char       *note)
{
  OflAssistantPagePrivate *priv = ofl_assistant_page_get_instance_private (self);

  g_return_if_fail (OFL_IS_ASSISTANT_PAGE (self));

  if (note != NULL)
    adw_banner_set_title (priv->relink_banner, note);
  adw_banner_set_revealed (priv->relink_banner, note != NULL);
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
