/* ofl-link-row.c: a link as an expander row: who, which account, status,
 * and when expanded, the workspaces and what the user may do in each */

#include "config.h"

#include <glib/gi18n.h>

#include "ofl-api-types.h"
#include "ofl-error.h"
#include "ofl-link-row.h"

struct _OflLinkRow
{
  AdwExpanderRow  parent_instance;

  GtkStack       *status_stack;
  GtkImage       *status_icon;
  AdwSpinner     *spinner;
  AdwActionRow   *status_row;
  AdwActionRow   *checked_row;

  GtkWidget      *actions_row;
  GtkWidget      *check_button;
  GtkWidget      *relink_button;
  /* Remove, as the last row: destructive, and it asks first. */
  GtkWidget      *remove_row;
  /* When the relative times shown ("5 minutes ago") next change. */
  guint           time_source;
  GPtrArray      *workspace_rows;
  /* The rows of properties inside the collapsed row: see
   * ofl_link_row_show_details(). */
  gboolean        details_shown;

  OflLink        *link;
};

G_DEFINE_FINAL_TYPE (OflLinkRow, ofl_link_row, ADW_TYPE_EXPANDER_ROW)

enum {
  PROP_0,
  PROP_LINK,
  N_PROPS
};

enum {
  CHECK,
  RELINK,
  REMOVE,
  COPY_TOKEN,
  COPY_EMAIL,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const struct {
  const char *key;
  const char *words;
} permission_words[] = {
  /* Translators: these complete "Can …", joined with commas */
  { "contract:read", N_("see contracts") },
  { "contract:view", N_("see contracts") },
  { "contract:create", N_("create contracts") },
  { "contract:update", N_("change contracts") },
  { "contract:edit", N_("change contracts") },
  { "contract:delete", N_("delete contracts") },
  { "contract:send", N_("send contracts") },
  { "contract:sign", N_("sign contracts") },
  { "template:read", N_("see templates") },
  { "template:use", N_("use templates") },
  { "template:create", N_("create templates") },
  { "template:update", N_("change templates") },
  { "template:delete", N_("delete templates") },
};

char *
ofl_link_describe_permissions (const char * const *permissions)
{
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *joined = NULL;

  /* Known permissions in the table's order (see before change before
   * delete), each phrase once; unknown ones after, as Oneflow names them. */
  for (guint j = 0; j < G_N_ELEMENTS (permission_words); j++)
    {
      const char *word = _(permission_words[j].words);
      gboolean seen = FALSE;

      if (!permissions || !g_strv_contains (permissions, permission_words[j].key))
        continue;
      for (guint k = 0; k < words->len; k++)
        seen |= g_str_equal (g_ptr_array_index (words, k), word);
      if (!seen)
        g_ptr_array_add (words, g_strdup (word));
    }

  for (guint i = 0; permissions && permissions[i]; i++)
    {
      gboolean known = FALSE;

      for (guint j = 0; j < G_N_ELEMENTS (permission_words); j++)
        known |= g_str_equal (permissions[i], permission_words[j].key);
      if (!known)
        g_ptr_array_add (words, g_strdelimit (g_strdup (permissions[i]), ":_", ' '));
    }

  if (words->len == 0)
    return g_strdup (_("Cannot do anything in this workspace"));

  g_ptr_array_add (words, NULL);
  /* Translators: the list separator of "Can create contracts, see contracts" */
  joined = g_strjoinv (_(", "), (char **) words->pdata);

  /* Translators: %s is a list like "see contracts, create contracts" */
  return g_strdup_printf (_("Can %s"), joined);
}

/* "just now", "5 minutes ago", "3 hours ago", "2 days ago", or a date,
 * to go inside a sentence. *@next_change_us: in how many microseconds the
 * phrase will read differently, or -1 for never. */
static char *
describe_relative (GDateTime *when,
                   gint64    *next_change_us)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) local = NULL;
  GTimeSpan span = MAX (g_date_time_difference (now, when), 0);

  if (span < G_TIME_SPAN_MINUTE)
    {
      *next_change_us = G_TIME_SPAN_MINUTE - span;
      /* Translators: when a link was last checked or last worked, as in
       * "Working · checked just now" */
      return g_strdup (_("just now"));
    }
  if (span < G_TIME_SPAN_HOUR)
    {
      int minutes = span / G_TIME_SPAN_MINUTE;

      *next_change_us = (minutes + 1) * G_TIME_SPAN_MINUTE - span;
      /* Translators: as in "Working · checked 5 minutes ago" */
      return g_strdup_printf (ngettext ("%d minute ago", "%d minutes ago", minutes), minutes);
    }
  if (span < G_TIME_SPAN_DAY)
    {
      int hours = span / G_TIME_SPAN_HOUR;

      *next_change_us = (hours + 1) * G_TIME_SPAN_HOUR - span;
      /* Translators: as in "Working · checked 3 hours ago" */
      return g_strdup_printf (ngettext ("%d hour ago", "%d hours ago", hours), hours);
    }
  if (span < 7 * G_TIME_SPAN_DAY)
    {
      int days = span / G_TIME_SPAN_DAY;

      *next_change_us = (days + 1) * G_TIME_SPAN_DAY - span;
      /* Translators: as in "Working · checked 2 days ago" */
      return g_strdup_printf (ngettext ("%d day ago", "%d days ago", days), days);
    }

  *next_change_us = -1;
  local = g_date_time_to_local (when);
  /* Translators: a date, as in "Working · checked on 3 December 2026";
   * see the strftime manual */
  return g_date_time_format (local, _("on %-d %B %Y"));
}

/* The time of the last check in full, for the row that says only that. */
static char *
describe_date_time (GDateTime *when)
{
  g_autoptr(GDateTime) local = NULL;

  if (when == NULL)
    /* Translators: when a link was last checked */
    return g_strdup (_("Never"));

  local = g_date_time_to_local (when);
  /* Translators: the date and time of the last check; see the strftime manual */
  return g_date_time_format (local, _("%-d %B %Y, %H:%M"));
}

/* The shorter of two delays until a phrase changes (-1: never). */
static gint64
sooner (gint64 a,
        gint64 b)
{
  if (a < 0)
    return b;
  if (b < 0)
    return a;
  return MIN (a, b);
}

/* Why the last check gave no verdict, in a few words after "·". */
static const char *
describe_no_verdict_short (const char *problem)
{
  if (g_strcmp0 (problem, "network") == 0 || g_strcmp0 (problem, "proxy") == 0)
    return _("Oneflow could not be reached");
  if (g_strcmp0 (problem, "rate-limited") == 0)
    return _("Oneflow asked to wait");
  if (g_strcmp0 (problem, "unavailable") == 0)
    return _("Oneflow was not available");
  if (g_strcmp0 (problem, "timed-out") == 0)
    return _("Oneflow did not answer in time");
  if (g_strcmp0 (problem, "tls") == 0 || g_strcmp0 (problem, "insecure-url") == 0)
    return _("the connection was not secure");

  return _("the last check gave no answer");
}

/* What the row's subtitle says after the account: the status in words. */
static char *
describe_status_line (OflLink *link,
                      gint64  *next_change_us)
{
  const char *problem = ofl_link_get_problem (link);
  GDateTime *last_checked = ofl_link_get_last_checked (link);
  GDateTime *last_ok = ofl_link_get_last_ok (link);
  g_autofree char *when = NULL;

  *next_change_us = -1;

  if (ofl_link_get_busy (link))
    return g_strdup (_("Checking…"));

  switch (ofl_link_get_status (link))
    {
    case OFL_LINK_STATUS_NEEDS_ATTENTION:
      if (g_strcmp0 (problem, "token-rejected") == 0)
        return g_strdup (_("Needs attention: token revoked"));
      if (g_strcmp0 (problem, "user-deactivated") == 0)
        return g_strdup (_("Needs attention: user deactivated"));
      if (g_strcmp0 (problem, "unknown-user") == 0)
        return g_strdup (_("Needs attention: user not in the account"));
      if (g_strcmp0 (problem, "other-account") == 0)
        return g_strdup (_("Needs attention: token of another account"));
      return g_strdup (_("Needs attention: the last check did not pass"));

    case OFL_LINK_STATUS_OK:
      if (problem != NULL)
        {
          g_autofree char *worked = NULL;

          /* No verdict this time: it keeps its status; say since when. */
          if (last_ok != NULL)
            {
              when = describe_relative (last_ok, next_change_us);
              /* Translators: %s is "5 minutes ago", "just now" or "on 3 December 2026" */
              worked = g_strdup_printf (_("Last worked %s"), when);
            }
          else
            worked = g_strdup (_("Working"));
          /* Translators: "Last worked 2 hours ago · Oneflow could not be reached" */
          return g_strdup_printf (_("%s · %s"), worked, describe_no_verdict_short (problem));
        }
      if (last_checked == NULL)
        return g_strdup (_("Working"));
      when = describe_relative (last_checked, next_change_us);
      /* Translators: %s is "5 minutes ago", "just now" or "on 3 December 2026" */
      return g_strdup_printf (_("Working · checked %s"), when);

    case OFL_LINK_STATUS_UNCHECKED:
    default:
      return g_strdup (_("Not checked yet"));
    }
}

/* "Last worked 2 hours ago.", or NULL when it never did. */
static char *
describe_last_ok (OflLink *link,
                  gint64  *next_change_us)
{
  g_autofree char *when = NULL;

  *next_change_us = -1;
  if (ofl_link_get_last_ok (link) == NULL)
    return NULL;

  when = describe_relative (ofl_link_get_last_ok (link), next_change_us);
  /* Translators: %s is "2 hours ago", "just now" or "on 3 December 2026" */
  return g_strdup_printf (_("Last worked %s."), when);
}

static void update (OflLinkRow *self);

static gboolean
time_changed_cb (gpointer user_data)
{
  OflLinkRow *self = user_data;

  self->time_source = 0;
  update (self);

  return G_SOURCE_REMOVE;
}

/* Wakes up when the first of the relative times shown changes. */
static void
schedule_time_update (OflLinkRow *self,
                      gint64      next_change_us)
{
  g_clear_handle_id (&self->time_source, g_source_remove);
  if (next_change_us < 0)
    return;

  /* Just past the boundary, so the new phrase is the next one. */
  self->time_source = g_timeout_add_full (G_PRIORITY_LOW,
                                          (guint) (next_change_us / 1000) + 20,
                                          time_changed_cb, self, NULL);
}

static void
update (OflLinkRow *self)
{
  OflLinkStatus status = ofl_link_get_status (self->link);
  gboolean busy = ofl_link_get_busy (self->link);
  const char *account = ofl_link_get_account_name (self->link);
  const char *problem = ofl_link_get_problem (self->link);
  gint64 next_change_us = -1, last_ok_change_us = -1;
  g_autofree char *last_ok = describe_last_ok (self->link, &last_ok_change_us);
  g_autofree char *status_line = describe_status_line (self->link, &next_change_us);
  const char *status_words;
  const char *icon = NULL;
  const char *icon_class = NULL;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *status_detail = NULL;
  g_autofree char *checked = NULL;

  switch (status)
    {
    case OFL_LINK_STATUS_OK:
      status_words = _("Working");
      /* A temporary failure keeps the verdict; say so, and since when. */
      if (problem != NULL)
        status_detail = g_strjoin (" ", ofl_error_describe_problem (problem), last_ok ? last_ok : "", NULL);
      else
        status_detail = g_strdup (_("The last check passed."));
      icon = "object-select-symbolic";
      icon_class = "success";
      break;
    case OFL_LINK_STATUS_NEEDS_ATTENTION:
      status_words = _("Needs attention");
      {
        status_detail = g_strjoin (" ", ofl_error_describe_problem (problem), last_ok ? last_ok : "", NULL);
      }
      icon = "dialog-warning-symbolic";
      icon_class = "warning";
      break;
    case OFL_LINK_STATUS_UNCHECKED:
    default:
      status_words = _("Not checked yet");
      status_detail = g_strdup (_("Oneflow Link has not checked this link yet."));
      icon = "content-loading-symbolic";
      icon_class = "dim-label";
      break;
    }

  if (busy)
    status_words = _("Checking…");

  /* The account, then the status in words on a line of its own, so it
   * never wraps in the middle at 360 px. */
  /* The expander row reads its title and subtitle as markup: an email
   * or an account name is text ("Smith & Co"), so it is escaped. */
  title = g_markup_escape_text (ofl_link_get_email (self->link), -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), title);
  if (account && *account)
    {
      g_autofree char *escaped = g_markup_escape_text (account, -1);

      subtitle = g_strdup_printf ("%s\n%s", escaped, status_line);
    }
  else
    subtitle = g_strdup (status_line);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), subtitle);

  gtk_image_set_from_icon_name (self->status_icon, icon);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->status_icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, status_words, -1);
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_icon), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_icon), "warning");
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_icon), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->status_icon), icon_class);
  gtk_stack_set_visible_child_name (self->status_stack, busy ? "busy" : "icon");

  /* A broken link: Re-link is the way out, so it is the suggested one.
   * The buttons are made with the details (ofl_link_row_show_details()). */
  if (status == OFL_LINK_STATUS_NEEDS_ATTENTION)
    gtk_widget_add_css_class (GTK_WIDGET (self), "ofl-needs-attention");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "ofl-needs-attention");
  if (self->relink_button != NULL && status == OFL_LINK_STATUS_NEEDS_ATTENTION)
    gtk_widget_add_css_class (self->relink_button, "suggested-action");
  else if (self->relink_button != NULL)
    gtk_widget_remove_css_class (self->relink_button, "suggested-action");

  adw_action_row_set_subtitle (self->status_row, status_detail);

  checked = describe_date_time (ofl_link_get_last_checked (self->link));
  adw_action_row_set_subtitle (self->checked_row, checked);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "link.check", !busy);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_STATE_BUSY, busy, -1);

  /* "5 minutes ago" becomes "6 minutes ago" on its own. */
  schedule_time_update (self, sooner (next_change_us, last_ok_change_us));
}

static void
rebuild_workspaces (OflLinkRow *self)
{
  OflLinkStatus status = ofl_link_get_status (self->link);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;
  GPtrArray *workspaces;

  /* Until the details are shown, nothing: the workspace rows and the
   * actions are made with them. */
  if (!self->details_shown)
    return;

  /* Keep keyboard focus on an action button across the rebuild. */
  if (focus && !gtk_widget_is_ancestor (focus, self->actions_row) &&
      focus != self->remove_row && !gtk_widget_is_ancestor (focus, self->remove_row))
    focus = NULL;

  /* Workspaces, then the actions, then Remove at the bottom. */
  for (guint i = 0; i < self->workspace_rows->len; i++)
    adw_expander_row_remove (ADW_EXPANDER_ROW (self), g_ptr_array_index (self->workspace_rows, i));
  g_ptr_array_set_size (self->workspace_rows, 0);
  if (gtk_widget_get_parent (self->actions_row))
    adw_expander_row_remove (ADW_EXPANDER_ROW (self), self->actions_row);
  if (gtk_widget_get_parent (self->remove_row))
    adw_expander_row_remove (ADW_EXPANDER_ROW (self), self->remove_row);

  workspaces = ofl_link_get_workspaces (self->link);
  if (workspaces->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Workspaces"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   status == OFL_LINK_STATUS_UNCHECKED
                                   ? _("Shown after the first check.")
                                   : _("This user cannot reach any workspace."));
      adw_expander_row_add_row (ADW_EXPANDER_ROW (self), row);
      g_ptr_array_add (self->workspace_rows, row);
    }

  for (guint i = 0; i < workspaces->len; i++)
    {
      OflWorkspace *workspace = g_ptr_array_index (workspaces, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *image = gtk_image_new_from_icon_name ("folder-symbolic");
      g_autofree char *words = ofl_link_describe_permissions ((const char * const *) workspace->permissions);

      gtk_accessible_update_property (GTK_ACCESSIBLE (image), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Workspace"), -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), image);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), workspace->name ? workspace->name : "");
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), words);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (self), row);
      g_ptr_array_add (self->workspace_rows, row);
    }

  adw_expander_row_add_row (ADW_EXPANDER_ROW (self), self->actions_row);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (self), self->remove_row);

  if (focus)
    gtk_widget_grab_focus (focus);
}

static void build_actions_row (OflLinkRow *self);

/* Shows the rows inside the collapsed row: status, last check, the
 * workspaces, the actions and Remove. Until then the status and last
 * check are kept up to date but not shown, and the other rows are not
 * made: GTK measures the contents of a collapsed expander row all the
 * same, and the wrapped text and the flow box of buttons of twenty rows
 * took longer to build and measure than the whole rest of the window.
 * The accounts view shows them a few rows a frame after its first frame;
 * expanding a row shows its own at once. A collapsed row's buttons are
 * not in the accessibility tree anyway, and its actions work without
 * them (link.check, link.relink, link.remove). */
void
ofl_link_row_show_details (OflLinkRow *self)
{
  g_return_if_fail (OFL_IS_LINK_ROW (self));

  if (self->details_shown)
    return;

  self->details_shown = TRUE;
  build_actions_row (self);
  /* The Re-link button's style follows the status. */
  update (self);
  gtk_widget_set_visible (GTK_WIDGET (self->status_row), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->checked_row), TRUE);
  rebuild_workspaces (self);
}

gboolean
ofl_link_row_get_details_shown (OflLinkRow *self)
{
  g_return_val_if_fail (OFL_IS_LINK_ROW (self), FALSE);

  return self->details_shown;
}

static void
expanded_cb (OflLinkRow *self)
{
  /* Before the row opens: the reveal animation starts on the next frame. */
  if (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (self)))
    ofl_link_row_show_details (self);
}

static void
link_changed_cb (OflLinkRow *self,
                 GParamSpec *pspec)
{
  update (self);

  /* Rows for the workspaces only when they (or the verdict) change: not
   * on every busy flip, which would take focus off Check Now. */
  if (g_str_equal (pspec->name, "workspaces") || g_str_equal (pspec->name, "status"))
    rebuild_workspaces (self);
}

static void
link_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  OflLinkRow *self = OFL_LINK_ROW (widget);

  if (g_str_equal (action_name, "link.check"))
    g_signal_emit (self, signals[CHECK], 0);
  else if (g_str_equal (action_name, "link.relink"))
    g_signal_emit (self, signals[RELINK], 0);
  else if (g_str_equal (action_name, "link.remove"))
    g_signal_emit (self, signals[REMOVE], 0);
  else if (g_str_equal (action_name, "link.copy-token"))
    g_signal_emit (self, signals[COPY_TOKEN], 0);
  else if (g_str_equal (action_name, "link.copy-email"))
    g_signal_emit (self, signals[COPY_EMAIL], 0);
}

static GtkWidget *
action_button (const char *label,
               const char *action,
               const char *style)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  if (style)
    gtk_widget_add_css_class (button, style);

  return button;
}

static void
add_action (GtkFlowBox *box,
            GtkWidget  *button)
{
  /* Only the buttons take focus; the boxes around them are layout. Not
   * "presentation", which would hide the button inside from AT-SPI. */
  GtkWidget *child = g_object_new (GTK_TYPE_FLOW_BOX_CHILD,
                                   "accessible-role", GTK_ACCESSIBLE_ROLE_GROUP,
                                   "focusable", FALSE,
                                   "child", button,
                                   NULL);

  gtk_flow_box_append (box, child);
}

static void
build_actions_row (OflLinkRow *self)
{
  /* A flow box, two buttons a line, so they wrap when a translation
   * makes them wider than a 360 px window allows. */
  GtkWidget *box = g_object_new (GTK_TYPE_FLOW_BOX,
                                 "accessible-role", GTK_ACCESSIBLE_ROLE_GROUP,
                                 "selection-mode", GTK_SELECTION_NONE,
                                 "homogeneous", TRUE,
                                 "min-children-per-line", 1,
                                 "max-children-per-line", 2,
                                 "column-spacing", 6,
                                 "row-spacing", 6,
                                 "halign", GTK_ALIGN_END,
                                 NULL);
  GtkWidget *row = gtk_list_box_row_new ();

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);

  self->check_button = action_button (_("_Check Now"), "link.check", NULL);
  add_action (GTK_FLOW_BOX (box), self->check_button);
  self->relink_button = action_button (_("_Re-link"), "link.relink", NULL);
  add_action (GTK_FLOW_BOX (box), self->relink_button);
  /* For the integration's own form (StackOne's Hub). */
  add_action (GTK_FLOW_BOX (box), action_button (_("Copy API _Token"), "link.copy-token", NULL));
  add_action (GTK_FLOW_BOX (box), action_button (_("Copy User _Email"), "link.copy-email", NULL));

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_focusable (row, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Actions"), -1);

  self->actions_row = g_object_ref_sink (row);

  /* Remove stands apart from the two everyday actions: a row of its own,
   * last, in the destructive style; the view asks before it removes. */
  row = adw_button_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("_Remove Link…"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "link.remove");
  gtk_widget_add_css_class (row, "destructive-action");
  self->remove_row = g_object_ref_sink (row);
}

static void
ofl_link_row_constructed (GObject *object)
{
  OflLinkRow *self = OFL_LINK_ROW (object);

  G_OBJECT_CLASS (ofl_link_row_parent_class)->constructed (object);

  g_signal_connect_object (self->link, "notify", G_CALLBACK (link_changed_cb), self, G_CONNECT_SWAPPED);
  update (self);
  rebuild_workspaces (self);
}

static void
ofl_link_row_dispose (GObject *object)
{
  OflLinkRow *self = OFL_LINK_ROW (object);

  g_clear_handle_id (&self->time_source, g_source_remove);
  g_clear_object (&self->actions_row);
  g_clear_object (&self->remove_row);
  g_clear_object (&self->link);

  G_OBJECT_CLASS (ofl_link_row_parent_class)->dispose (object);
}

static void
ofl_link_row_finalize (GObject *object)
{
  OflLinkRow *self = OFL_LINK_ROW (object);

  g_clear_pointer (&self->workspace_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (ofl_link_row_parent_class)->finalize (object);
}

static void
ofl_link_row_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  OflLinkRow *self = OFL_LINK_ROW (object);

  switch (prop_id)
    {
    case PROP_LINK:
      g_value_set_object (value, self->link);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ofl_link_row_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  OflLinkRow *self = OFL_LINK_ROW (object);

  switch (prop_id)
    {
    case PROP_LINK:
      self->link = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ofl_link_row_class_init (OflLinkRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = ofl_link_row_constructed;
  object_class->dispose = ofl_link_row_dispose;
  object_class->finalize = ofl_link_row_finalize;
  object_class->get_property = ofl_link_row_get_property;
  object_class->set_property = ofl_link_row_set_property;

  properties[PROP_LINK] =
    g_param_spec_object ("link", NULL, NULL, OFL_TYPE_LINK,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHECK] = g_signal_new ("check", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[RELINK] = g_signal_new ("relink", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[REMOVE] = g_signal_new ("remove", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[COPY_TOKEN] = g_signal_new ("copy-token", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                      0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[COPY_EMAIL] = g_signal_new ("copy-email", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                      0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/accounts/ofl-link-row.ui");
  gtk_widget_class_bind_template_child (widget_class, OflLinkRow, status_stack);
  gtk_widget_class_bind_template_child (widget_class, OflLinkRow, status_icon);
  gtk_widget_class_bind_template_child (widget_class, OflLinkRow, spinner);
  gtk_widget_class_bind_template_child (widget_class, OflLinkRow, status_row);
  gtk_widget_class_bind_template_child (widget_class, OflLinkRow, checked_row);

  gtk_widget_class_install_action (widget_class, "link.check", NULL, link_action);
  gtk_widget_class_install_action (widget_class, "link.relink", NULL, link_action);
  gtk_widget_class_install_action (widget_class, "link.remove", NULL, link_action);
  gtk_widget_class_install_action (widget_class, "link.copy-token", NULL, link_action);
  gtk_widget_class_install_action (widget_class, "link.copy-email", NULL, link_action);
}

static void
ofl_link_row_init (OflLinkRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->workspace_rows = g_ptr_array_new ();

  gtk_widget_set_visible (GTK_WIDGET (self->status_row), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->checked_row), FALSE);
  g_signal_connect (self, "notify::expanded", G_CALLBACK (expanded_cb), NULL);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->spinner),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Checking"),
                                  -1);
}

GtkWidget *
ofl_link_row_new (OflLink *link)
{
  g_return_val_if_fail (OFL_IS_LINK (link), NULL);

  return g_object_new (OFL_TYPE_LINK_ROW, "link", link, NULL);
}

OflLink *
ofl_link_row_get_link (OflLinkRow *self)
{
  g_return_val_if_fail (OFL_IS_LINK_ROW (self), NULL);

  return self->link;
}
