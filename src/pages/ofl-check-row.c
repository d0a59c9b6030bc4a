/* ofl-check-row.c: one check of the Connect page */

#include "config.h"

#include <glib/gi18n.h>

#include "ofl-check-row.h"
#include "ofl-error.h"

struct _OflCheckRow
{
  AdwActionRow   parent_instance;

  GtkStack      *state_stack;

  OflVerifyStep  step;
  OflCheckState  state;
  GError        *error;
};

G_DEFINE_FINAL_TYPE (OflCheckRow, ofl_check_row, ADW_TYPE_ACTION_ROW)

static const char *
step_title (OflVerifyStep step,
            OflCheckState state)
{
  switch (step)
    {
    case OFL_VERIFY_STEP_TOKEN:
      switch (state)
        {
        case OFL_CHECK_OK:     return _("Token accepted");
        case OFL_CHECK_FAILED: return _("Token not accepted");
        case OFL_CHECK_WAITING:
        case OFL_CHECK_SKIPPED:
        default:               return _("Checking the token");
        }
    case OFL_VERIFY_STEP_ACCOUNT:
      switch (state)
        {
        case OFL_CHECK_FAILED: return _("Account not found");
        case OFL_CHECK_OK:
        case OFL_CHECK_WAITING:
        case OFL_CHECK_SKIPPED:
        default:               return _("Finding the Oneflow account");
        }
    case OFL_VERIFY_STEP_USER:
      switch (state)
        {
        case OFL_CHECK_OK:     return _("User found and active");
        case OFL_CHECK_FAILED: return _("This user cannot be used");
        case OFL_CHECK_WAITING:
        case OFL_CHECK_SKIPPED:
        default:               return _("Looking up the user");
        }
    case OFL_VERIFY_STEP_WORKSPACES:
    case OFL_VERIFY_N_STEPS:
    default:
      switch (state)
        {
        case OFL_CHECK_FAILED: return _("Workspaces could not be read");
        case OFL_CHECK_OK:
        case OFL_CHECK_WAITING:
        case OFL_CHECK_SKIPPED:
        default:               return _("Checking which workspaces the user can reach");
        }
    }
}

/* The title of a line that failed for a reason other than Oneflow's
 * "no" (a time-out, a 429): the check could not be made. */
static const char *
step_not_made_title (OflVerifyStep step)
{
  switch (step)
    {
    case OFL_VERIFY_STEP_TOKEN:      return _("Could not check the token");
    case OFL_VERIFY_STEP_ACCOUNT:    return _("Could not find the account");
    case OFL_VERIFY_STEP_USER:       return _("Could not look up the user");
    case OFL_VERIFY_STEP_WORKSPACES:
    case OFL_VERIFY_N_STEPS:
    default:                         return _("Could not read the workspaces");
    }
}

/* What a check's state icon says, for a screen reader. */
static const char *
state_word (OflCheckState state)
{
  switch (state)
    {
    case OFL_CHECK_OK:      return _("Passed");
    case OFL_CHECK_FAILED:  return _("Failed");
    case OFL_CHECK_SKIPPED: return _("Not checked");
    case OFL_CHECK_WAITING:
    default:                return _("Checking");
    }
}

/* Set as text: GTK 4.18 read an empty description through a described-by
 * relation to the labels that show it (measured with the e2e test). */
char *
ofl_describe_for_screen_reader (const char *heading,
                                const char *text)
{
  if (text == NULL || *text == '\0' || g_strcmp0 (heading, text) == 0)
    return g_strdup (heading);

  /* Translators: how a screen reader hears a heading and the sentence
   * under it, e.g. "Failed: Oneflow did not accept this API token." */
  return g_strdup_printf (_("%s: %s"), heading, text);
}

void
ofl_check_row_set_state (OflCheckRow   *self,
                         OflCheckState  state,
                         const char    *title,
                         const char    *subtitle)
{
  static const char *names[] = { "waiting", "ok", "failed", "skipped" };
  g_autofree char *description = NULL;

  g_return_if_fail (OFL_IS_CHECK_ROW (self));

  self->state = state;
  if (state == OFL_CHECK_WAITING)
    g_clear_error (&self->error);
  if (title == NULL)
    title = step_title (self->step, state);
  if (subtitle == NULL)
    subtitle = "";
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);
  gtk_stack_set_visible_child_name (self->state_stack, names[state]);

  /* The row's own name and description, not only its title label's: a
   * change to them is an event on the row (the list item) itself, so a
   * screen reader hears "Token accepted, Passed" when a check finishes.
   * An action row is labelled by its title and described by its subtitle
   * label, and GTK takes a relation over the text: drop both. */
  description = ofl_describe_for_screen_reader (state_word (state), subtitle);
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self),
                               GTK_ACCESSIBLE_STATE_BUSY, state == OFL_CHECK_WAITING,
                               GTK_ACCESSIBLE_STATE_INVALID,
                               state == OFL_CHECK_FAILED ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
}

/* "Sales, Legal and 3 more": the first few workspace names. */
static char *
describe_workspaces (GPtrArray *workspaces)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) names = NULL;
  g_autofree char *list = NULL;
  guint n = workspaces->len, shown = MIN (n, 3);

  for (guint i = 0; i < shown; i++)
    {
      OflWorkspace *workspace = g_ptr_array_index (workspaces, i);
      g_strv_builder_add (builder, workspace->name ? workspace->name : "");
    }
  names = g_strv_builder_end (builder);
  /* Translators: the separator between workspace names */
  list = g_strjoinv (_(", "), names);
  if (n > shown)
    /* Translators: a list of workspace names, then how many more */
    return g_strdup_printf (ngettext ("%s and %u more", "%s and %u more", n - shown), list, n - shown);

  return g_steal_pointer (&list);
}

void
ofl_check_row_show_result (OflCheckRow  *self,
                           const GError *error,
                           gpointer      detail)
{
  g_return_if_fail (OFL_IS_CHECK_ROW (self));

  if (error != NULL)
    {
      OflErrorKind kind = ofl_error_get_kind (error);

      g_clear_error (&self->error);
      self->error = g_error_copy (error);
      /* Oneflow's "no" has the step's own words; anything else means the
       * check could not be made. */
      ofl_check_row_set_state (self, OFL_CHECK_FAILED,
                               kind == OFL_ERROR_KIND_REJECTED || kind == OFL_ERROR_KIND_INPUT
                               ? NULL : step_not_made_title (self->step),
                               error->message);
      return;
    }

  switch (self->step)
    {
    case OFL_VERIFY_STEP_ACCOUNT:
      {
        OflAccount *account = detail;
        g_autofree char *title = NULL;

        /* Translators: %s is the name of the Oneflow account, e.g. "Acme AB" */
        title = g_strdup_printf (_("Account: %s"), account && account->name ? account->name : "");
        ofl_check_row_set_state (self, OFL_CHECK_OK, title, NULL);
        return;
      }
    case OFL_VERIFY_STEP_USER:
      {
        OflUser *user = detail;

        ofl_check_row_set_state (self, OFL_CHECK_OK, NULL,
                                 user && user->name && *user->name ? user->name : NULL);
        return;
      }
    case OFL_VERIFY_STEP_WORKSPACES:
      {
        GPtrArray *workspaces = detail;
        guint n = workspaces ? workspaces->len : 0;
        g_autofree char *title = NULL;
        g_autofree char *names = NULL;

        if (n == 0)
          title = g_strdup (_("The user cannot reach any workspace yet"));
        else
          {
            title = g_strdup_printf (ngettext ("The user can reach %u workspace",
                                               "The user can reach %u workspaces", n), n);
            names = describe_workspaces (workspaces);
          }
        ofl_check_row_set_state (self, OFL_CHECK_OK, title, names);
        return;
      }
    case OFL_VERIFY_STEP_TOKEN:
    case OFL_VERIFY_N_STEPS:
    default:
      ofl_check_row_set_state (self, OFL_CHECK_OK, NULL, NULL);
      return;
    }
}

OflCheckState
ofl_check_row_get_state (OflCheckRow *self)
{
  g_return_val_if_fail (OFL_IS_CHECK_ROW (self), OFL_CHECK_WAITING);

  return self->state;
}

const GError *
ofl_check_row_get_error (OflCheckRow *self)
{
  g_return_val_if_fail (OFL_IS_CHECK_ROW (self), NULL);

  return self->error;
}

static void
ofl_check_row_finalize (GObject *object)
{
  OflCheckRow *self = OFL_CHECK_ROW (object);

  g_clear_error (&self->error);

  G_OBJECT_CLASS (ofl_check_row_parent_class)->finalize (object);
}

static void
ofl_check_row_class_init (OflCheckRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = ofl_check_row_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/pages/ofl-check-row.ui");
  gtk_widget_class_bind_template_child (widget_class, OflCheckRow, state_stack);
}

static void
ofl_check_row_init (OflCheckRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
ofl_check_row_new (OflVerifyStep step)
{
  OflCheckRow *self = g_object_new (OFL_TYPE_CHECK_ROW, NULL);

  self->step = step;
  ofl_check_row_set_state (self, OFL_CHECK_WAITING, NULL, NULL);

  return GTK_WIDGET (self);
}
