/* ofl-accounts-view.c: every stored link, one expander row each */

#include "config.h"

#include <glib/gi18n.h>

#include "ofl-accounts-view.h"
#include "ofl-confirm-dialog.h"
#include "ofl-credentials.h"
#include "ofl-error.h"
#include "ofl-accounts-view-private.h"
#include "ofl-link-row.h"
#include "ofl-secret-clipboard.h"

struct _OflAccountsView
{
  AdwBin      parent_instance;

  GtkListBox *list_box;
  AdwBanner  *banner;

  GListModel *links;
  /* The links that have rows: the first screenful, then all of them. */
  GtkSliceListModel *shown_links;
  OflLinks   *service;
  GCancellable *cancellable;
  /* A token copied for the integration's own form, briefly. */
  OflSecretClipboard *clipboard;

  /* A check of every link is running; whether only in the background
   * (then its end is said at a low priority). */
  gboolean    run_running;
  gboolean    run_background;

  /* After the first frame, adds the other rows and then shows the
   * rows' details, a few a frame. */
  guint       details_tick;
  gboolean    details_first_frame;
};

/* Rows whose details are shown per frame: each costs a few ms to measure. */
#define DETAILS_PER_FRAME 2

/* Rows made for the first frame: more than the default 640 × 680 window
 * shows (collapsed rows are over 50 px tall). Each expander row costs a
 * few ms to build and measure, and twenty of them took longer than the
 * whole rest of the window. The others follow, a few a frame, which also
 * fills a taller window within a few frames. */
#define FIRST_FRAME_ROWS 12
#define ROWS_PER_FRAME 4

G_DEFINE_FINAL_TYPE (OflAccountsView, ofl_accounts_view, ADW_TYPE_BIN)

enum {
  RELINK_REQUESTED,
  EMPTY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct {
  OflAccountsView *self;
  OflLink         *link;
} CheckData;

static void
check_data_free (CheckData *data)
{
  g_clear_object (&data->self);
  g_clear_object (&data->link);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CheckData, check_data_free)

static void
check_data_closure_free (gpointer  data,
                         GClosure *closure)
{
  check_data_free (data);
}

static void
toast (OflAccountsView *self,
       const char      *text)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-toast", "s", text);
}

/* What a screen reader must hear even when the toast is not read: the
 * outcome of a check someone asked for, of a check of every link, or of
 * a re-link (the window's). Said by the list, not the window: GTK 4.24's
 * stand-in accessibility context (GTK_A11Y=none or test) has no announce
 * and crashes when a window, whose context is always realized, announces;
 * a widget inside it is realized only for a real screen reader. */
void
ofl_accounts_view_announce (OflAccountsView                   *self,
                            const char                        *text,
                            GtkAccessibleAnnouncementPriority  priority)
{
  g_return_if_fail (OFL_IS_ACCOUNTS_VIEW (self));

  gtk_accessible_announce (GTK_ACCESSIBLE (self->list_box), text, priority);
}

static void
announce (OflAccountsView                   *self,
          const char                        *text,
          GtkAccessibleAnnouncementPriority  priority)
{
  ofl_accounts_view_announce (self, text, priority);
}

static void
announce_check (OflAccountsView *self,
                OflLink         *link,
                const GError    *error)
{
  const char *email = ofl_link_get_email (link);
  g_autofree char *text = NULL;

  if (error == NULL)
    /* Translators: said to a screen reader; %s is an email address */
    text = g_strdup_printf (_("Checked the link for %s: it works."), email);
  else if (ofl_link_get_status (link) == OFL_LINK_STATUS_NEEDS_ATTENTION)
    {
      const char *cause = ofl_error_describe_problem (ofl_link_get_problem (link));

      /* Translators: said to a screen reader; %s is an email address,
       * then the reason, as in "Oneflow no longer accepts the token." */
      text = g_strdup_printf (_("Checked the link for %s: it needs attention. %s"), email, cause);
    }
  else
    /* Translators: said to a screen reader; %s is an email address,
     * then what went wrong, in a sentence or two */
    text = g_strdup_printf (_("Could not check the link for %s now. %s"), email, error->message);

  announce (self, text, GTK_ACCESSIBLE_ANNOUNCEMENT_PRIORITY_MEDIUM);
}

/* Says how a check of every link ended. */
static void
announce_run (OflAccountsView *self,
              GPtrArray       *outcomes)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint total = outcomes->len, attention = 0, no_verdict = 0;

  for (guint i = 0; i < total; i++)
    {
      OflCheckOutcome *outcome = g_ptr_array_index (outcomes, i);

      if (ofl_link_get_status (outcome->link) == OFL_LINK_STATUS_NEEDS_ATTENTION)
        attention++;
      else if (outcome->error != NULL)
        no_verdict++;
    }

  g_string_append_printf (text, ngettext ("Checked %u link.", "Checked %u links.", total), total);
  if (attention == 0 && no_verdict == 0)
    {
      g_string_append_c (text, ' ');
      g_string_append (text, ngettext ("It works.", "All of them work.", total));
    }
  if (attention > 0)
    {
      g_string_append_c (text, ' ');
      g_string_append_printf (text, ngettext ("%u needs attention.", "%u need attention.", attention),
                              attention);
    }
  if (no_verdict > 0)
    {
      g_string_append_c (text, ' ');
      g_string_append_printf (text, ngettext ("%u could not be checked now.", "%u could not be checked now.",
                                              no_verdict),
                              no_verdict);
    }

  /* A check nobody asked for waits for a pause in what is being said. */
  announce (self, text->str,
            self->run_background ? GTK_ACCESSIBLE_ANNOUNCEMENT_PRIORITY_LOW
                                 : GTK_ACCESSIBLE_ANNOUNCEMENT_PRIORITY_MEDIUM);
}

static void
check_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(CheckData) data = user_data;
  OflLink *link = data->link;
  g_autoptr(GError) error = NULL;

  ofl_links_check_finish (OFL_LINKS (object), result, &error);

  /* Closed or stopped: no verdict was recorded, nothing to say. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  announce_check (data->self, link, error);

  /* Short: a toast is one line, even 360 px wide; the row has the rest. */
  if (error == NULL)
    toast (data->self, _("The link works"));
  else if (ofl_link_get_status (link) == OFL_LINK_STATUS_NEEDS_ATTENTION)
    toast (data->self, _("The link needs attention"));
  else if (ofl_error_get_kind (error) == OFL_ERROR_KIND_KEYRING ||
           ofl_error_get_kind (error) == OFL_ERROR_KIND_NOT_FOUND)
    toast (data->self, error->message);
  else
    toast (data->self, _("Could not check the link now"));
}

void
ofl_accounts_view_check (OflAccountsView *self,
                         OflLink         *link)
{
  CheckData *data;

  g_return_if_fail (OFL_IS_ACCOUNTS_VIEW (self));
  g_return_if_fail (OFL_IS_LINK (link));

  /* Once: the check under way will tell. */
  if (self->service == NULL || ofl_link_get_busy (link))
    return;

  data = g_new0 (CheckData, 1);
  data->self = g_object_ref (self);
  data->link = g_object_ref (link);
  ofl_links_check_async (self->service, link, self->cancellable, check_cb, data);
}

static void
check_all_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(OflAccountsView) self = user_data;
  g_autoptr(GPtrArray) outcomes = ofl_links_check_all_finish (OFL_LINKS (object), result, NULL);

  /* The end was announced from ::checked-all, for every run alike. */
  self->run_running = FALSE;
}

/* Any check of every link, this view's or the desktop's "Check Links":
 * the rows show the verdicts, and a screen reader hears the sum. */
static void
checked_all_cb (OflAccountsView *self,
                GPtrArray       *outcomes)
{
  if (!self->run_running)
    self->run_background = TRUE;
  announce_run (self, outcomes);
}

void
ofl_accounts_view_check_all (OflAccountsView *self,
                             gboolean         background)
{
  g_return_if_fail (OFL_IS_ACCOUNTS_VIEW (self));

  if (self->service == NULL)
    return;

  /* A run asked for joins one in the background: one announcement. */
  if (self->run_running)
    {
      self->run_background &= background;
      return;
    }

  self->run_running = TRUE;
  self->run_background = background;
  ofl_links_check_all_async (self->service, self->cancellable, check_all_cb, g_object_ref (self));
}

static void
row_check_cb (OflLinkRow      *row,
              OflAccountsView *self)
{
  ofl_accounts_view_check (self, ofl_link_row_get_link (row));
}

/* Copy for the Hub: what the integration's own form asks for. */
static void
token_copied_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(OflAccountsView) self = user_data;
  g_autoptr(OflSecret) token = NULL;
  g_autoptr(GError) error = NULL;

  token = ofl_links_lookup_token_finish (OFL_LINKS (object), result, &error);
  if (token == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
      return;
    }

  ofl_secret_clipboard_copy (self->clipboard, token);
}

static void
row_copy_token_cb (OflLinkRow      *row,
                   OflAccountsView *self)
{
  if (self->service != NULL)
    ofl_links_lookup_token_async (self->service, ofl_link_row_get_link (row), self->cancellable,
                                  token_copied_cb, g_object_ref (self));
}

static void
row_copy_email_cb (OflLinkRow      *row,
                   OflAccountsView *self)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)),
                          ofl_link_get_email (ofl_link_row_get_link (row)));
  toast (self, _("User email copied"));
}

static void
row_relink_cb (OflLinkRow      *row,
               OflAccountsView *self)
{
  g_signal_emit (self, signals[RELINK_REQUESTED], 0, ofl_link_row_get_link (row));
}

static void
remove_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CheckData) data = user_data;
  g_autoptr(GError) error = NULL;

  /* Gone from the keyring already: gone from the list too. */
  if (!ofl_links_unlink_finish (OFL_LINKS (object), result, &error) &&
      !g_error_matches (error, OFL_ERROR, OFL_ERROR_NO_SUCH_LINK))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (data->self, error->message);
      return;
    }

  toast (data->self, _("Link removed"));
}

static void
remove_response_cb (AdwAlertDialog *dialog,
                    const char     *response,
                    CheckData      *data)
{
  if (g_strcmp0 (response, "remove") == 0)
    {
      CheckData *copy = g_new0 (CheckData, 1);

      copy->self = g_object_ref (data->self);
      copy->link = g_object_ref (data->link);
      ofl_links_unlink_async (data->self->service, data->link, data->self->cancellable,
                              remove_cb, copy);
    }
}

static void
row_remove_cb (OflLinkRow      *row,
               OflAccountsView *self)
{
  OflLink *link = ofl_link_row_get_link (row);
  CheckData *data;
  AdwDialog *dialog;
  g_autofree char *body = NULL;

  /* Translators: %s is an email address */
  body = g_strdup_printf (_("This computer will forget the token for %s. "
                            "The token itself keeps working in Oneflow until an administrator revokes it there."),
                          ofl_link_get_email (link));
  dialog = ofl_confirm_dialog_new (_("Remove This Link?"), body,
                                   "cancel", _("_Cancel"),
                                   "remove", _("_Remove"));

  data = g_new0 (CheckData, 1);
  data->self = g_object_ref (self);
  data->link = g_object_ref (link);
  g_signal_connect_data (dialog, "response", G_CALLBACK (remove_response_cb), data,
                         check_data_closure_free, 0);
  adw_dialog_present (dialog, GTK_WIDGET (self));
}

static OflLink *
first_broken_link (OflAccountsView *self,
                   guint           *n_broken)
{
  OflLink *first = NULL;
  guint n = self->links ? g_list_model_get_n_items (self->links) : 0;

  *n_broken = 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(OflLink) link = g_list_model_get_item (self->links, i);

      if (ofl_link_get_status (link) == OFL_LINK_STATUS_NEEDS_ATTENTION)
        {
          if (first == NULL)
            first = link;
          (*n_broken)++;
        }
    }

  return first;
}

static void
update_banner (OflAccountsView *self)
{
  guint n_broken;
  OflLink *link = first_broken_link (self, &n_broken);
  g_autofree char *text = NULL;

  if (link != NULL)
    {
      if (n_broken == 1)
        /* Translators: %s is an email address */
        text = g_strdup_printf (_("The Oneflow link for %s stopped working."), ofl_link_get_email (link));
      else
        text = g_strdup_printf (ngettext ("%u Oneflow link stopped working.",
                                          "%u Oneflow links stopped working.", n_broken), n_broken);
      adw_banner_set_title (self->banner, text);
    }

  adw_banner_set_revealed (self->banner, link != NULL);
}

static void
banner_relink_cb (OflAccountsView *self)
{
  guint n_broken;
  OflLink *link = first_broken_link (self, &n_broken);

  if (link != NULL)
    g_signal_emit (self, signals[RELINK_REQUESTED], 0, link);
}

static void
link_status_changed_cb (OflAccountsView *self)
{
  update_banner (self);
}

static void
links_changed_cb (OflAccountsView *self,
                  guint            position,
                  guint            removed,
                  guint            added)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(OflLink) link = g_list_model_get_item (self->links, i);

      g_signal_connect_object (link, "notify::status", G_CALLBACK (link_status_changed_cb),
                               self, G_CONNECT_SWAPPED);
    }

  update_banner (self);

  /* The last link went, here or anywhere else. */
  if (removed > 0 && g_list_model_get_n_items (self->links) == 0)
    g_signal_emit (self, signals[EMPTY], 0);
}

static gboolean
show_details_tick (GtkWidget     *widget,
                   GdkFrameClock *clock,
                   gpointer       user_data)
{
  OflAccountsView *self = OFL_ACCOUNTS_VIEW (widget);
  guint shown = 0;

  /* The frame that first lays the rows out goes without the other rows
   * and without details; the ones after it add a few rows each, then
   * measure a few rows' details each, so the list appears at once and
   * stays responsive while it fills in. */
  if (!self->details_first_frame || !gtk_widget_get_mapped (widget))
    {
      self->details_first_frame = gtk_widget_get_mapped (widget);
      return G_SOURCE_CONTINUE;
    }

  if (self->shown_links != NULL &&
      g_list_model_get_n_items (G_LIST_MODEL (self->shown_links)) < g_list_model_get_n_items (self->links))
    {
      guint size = gtk_slice_list_model_get_size (self->shown_links) + ROWS_PER_FRAME;

      /* Unbounded once it has them all: links added later get rows too. */
      if (size >= g_list_model_get_n_items (self->links))
        size = G_MAXUINT;
      gtk_slice_list_model_set_size (self->shown_links, size);
      return G_SOURCE_CONTINUE;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box));
       child != NULL && shown < DETAILS_PER_FRAME;
       child = gtk_widget_get_next_sibling (child))
    {
      if (OFL_IS_LINK_ROW (child) && !ofl_link_row_get_details_shown (OFL_LINK_ROW (child)))
        {
          ofl_link_row_show_details (OFL_LINK_ROW (child));
          shown++;
        }
    }

  if (shown > 0)
    return G_SOURCE_CONTINUE;

  self->details_tick = 0;
  return G_SOURCE_REMOVE;
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  OflAccountsView *self = user_data;
  GtkWidget *row = ofl_link_row_new (OFL_LINK (item));

  g_signal_connect_object (row, "check", G_CALLBACK (row_check_cb), self, 0);
  g_signal_connect_object (row, "relink", G_CALLBACK (row_relink_cb), self, 0);
  g_signal_connect_object (row, "remove", G_CALLBACK (row_remove_cb), self, 0);
  g_signal_connect_object (row, "copy-token", G_CALLBACK (row_copy_token_cb), self, 0);
  g_signal_connect_object (row, "copy-email", G_CALLBACK (row_copy_email_cb), self, 0);

  if (self->details_tick == 0)
    {
      self->details_first_frame = FALSE;
      self->details_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), show_details_tick, NULL, NULL);
    }

  return row;
}

static void
ofl_accounts_view_dispose (GObject *object)
{
  OflAccountsView *self = OFL_ACCOUNTS_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->clipboard);
  if (self->details_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->details_tick);
  self->details_tick = 0;
  if (self->list_box)
    gtk_list_box_bind_model (self->list_box, NULL, NULL, NULL, NULL);

  G_OBJECT_CLASS (ofl_accounts_view_parent_class)->dispose (object);
}

static void
ofl_accounts_view_finalize (GObject *object)
{
  OflAccountsView *self = OFL_ACCOUNTS_VIEW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->shown_links);
  g_clear_object (&self->links);
  g_clear_object (&self->service);

  G_OBJECT_CLASS (ofl_accounts_view_parent_class)->finalize (object);
}

static void
ofl_accounts_view_class_init (OflAccountsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ofl_accounts_view_dispose;
  object_class->finalize = ofl_accounts_view_finalize;

  signals[RELINK_REQUESTED] =
    g_signal_new ("relink-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, OFL_TYPE_LINK);
  signals[EMPTY] =
    g_signal_new ("empty", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/accounts/ofl-accounts-view.ui");
  gtk_widget_class_bind_template_child (widget_class, OflAccountsView, list_box);
  gtk_widget_class_bind_template_child (widget_class, OflAccountsView, banner);
  gtk_widget_class_bind_template_callback (widget_class, banner_relink_cb);
}

static void
ofl_accounts_view_init (OflAccountsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->clipboard = ofl_secret_clipboard_new (GTK_WIDGET (self));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list_box),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Linked accounts"),
                                  -1);
}

void
ofl_accounts_view_set_service (OflAccountsView *self,
                               OflLinks        *service)
{
  g_return_if_fail (OFL_IS_ACCOUNTS_VIEW (self));

  if (self->service != NULL)
    g_signal_handlers_disconnect_by_func (self->service, checked_all_cb, self);
  g_set_object (&self->service, service);
  if (service != NULL)
    g_signal_connect_object (service, "checked-all", G_CALLBACK (checked_all_cb), self, G_CONNECT_SWAPPED);
  ofl_accounts_view_set_links (self, service ? ofl_links_get_model (service) : NULL);
}

void
ofl_accounts_view_set_links (OflAccountsView *self,
                             GListModel      *links)
{
  g_return_if_fail (OFL_IS_ACCOUNTS_VIEW (self));

  if (self->links == links)
    return;

  if (self->links)
    g_signal_handlers_disconnect_by_func (self->links, links_changed_cb, self);
  g_set_object (&self->links, links);

  g_clear_object (&self->shown_links);
  if (links != NULL)
    self->shown_links = gtk_slice_list_model_new (g_object_ref (links), 0, FIRST_FRAME_ROWS);
  gtk_list_box_bind_model (self->list_box, G_LIST_MODEL (self->shown_links), create_row, self, NULL);

  if (links != NULL)
    {
      g_signal_connect_object (links, "items-changed", G_CALLBACK (links_changed_cb),
                               self, G_CONNECT_SWAPPED);
      links_changed_cb (self, 0, 0, g_list_model_get_n_items (links));
    }
  else
    update_banner (self);
}

GListModel *
ofl_accounts_view_get_links (OflAccountsView *self)
{
  g_return_val_if_fail (OFL_IS_ACCOUNTS_VIEW (self), NULL);

  return self->links;
}

/* Every link gets its row now: the highlight looks for one. */
static void
show_all_rows (OflAccountsView *self)
{
  if (self->shown_links != NULL)
    gtk_slice_list_model_set_size (self->shown_links, G_MAXUINT);
}

/* Focus follows the highlight, once the row is on screen. */
static void
focus_row_cb (GtkWidget *row)
{
  g_signal_handlers_disconnect_by_func (row, focus_row_cb, NULL);
  /* An expander row takes no focus itself: its header does. */
  if (!gtk_widget_grab_focus (row))
    gtk_widget_child_focus (row, GTK_DIR_TAB_FORWARD);
}

void
ofl_accounts_view_highlight (OflAccountsView *self,
                             OflLink         *link)
{
  g_return_if_fail (OFL_IS_ACCOUNTS_VIEW (self));
  g_return_if_fail (OFL_IS_LINK (link));

  show_all_rows (self);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (!OFL_IS_LINK_ROW (child))
        continue;

      if (ofl_link_same_identity (ofl_link_row_get_link (OFL_LINK_ROW (child)), link))
        {
          gtk_widget_add_css_class (child, "ofl-highlight");
          adw_expander_row_set_expanded (ADW_EXPANDER_ROW (child), TRUE);
          if (gtk_widget_get_mapped (child))
            focus_row_cb (child);
          else
            {
              g_signal_handlers_disconnect_by_func (child, focus_row_cb, NULL);
              g_signal_connect (child, "map", G_CALLBACK (focus_row_cb), NULL);
            }
        }
      else
        gtk_widget_remove_css_class (child, "ofl-highlight");
    }
}

