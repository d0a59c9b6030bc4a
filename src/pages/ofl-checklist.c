/* ofl-checklist.c: the Connect page's checks */

#include "config.h"

#include <glib/gi18n.h>

#include "ofl-check-row.h"
#include "ofl-checklist.h"

struct _OflChecklist
{
  AdwPreferencesGroup  parent_instance;

  OflCheckRow         *rows[OFL_VERIFY_N_STEPS];
  /* The group's list, which a screen reader hears become busy and done. */
  GtkWidget           *list;
  gboolean             busy;
};

G_DEFINE_FINAL_TYPE (OflChecklist, ofl_checklist, ADW_TYPE_PREFERENCES_GROUP)

void
ofl_checklist_reset (OflChecklist *self)
{
  g_return_if_fail (OFL_IS_CHECKLIST (self));

  for (guint i = 0; i < OFL_VERIFY_N_STEPS; i++)
    ofl_check_row_set_state (self->rows[i], OFL_CHECK_WAITING, NULL, NULL);
}

void
ofl_checklist_set_busy (OflChecklist *self,
                        gboolean      busy)
{
  g_return_if_fail (OFL_IS_CHECKLIST (self));

  self->busy = busy;
  if (self->list != NULL)
    gtk_accessible_update_state (GTK_ACCESSIBLE (self->list), GTK_ACCESSIBLE_STATE_BUSY, busy, -1);
}

const char *
ofl_checklist_show_result (OflChecklist  *self,
                           OflVerifyStep  step,
                           const GError  *error,
                           gpointer       detail)
{
  g_return_val_if_fail (OFL_IS_CHECKLIST (self), NULL);
  g_return_val_if_fail (step < OFL_VERIFY_N_STEPS, NULL);

  ofl_check_row_show_result (self->rows[step], error, detail);
  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self->rows[step]));
}

void
ofl_checklist_finish (OflChecklist *self,
                      const GError *error)
{
  gboolean shown_in_row = FALSE;

  g_return_if_fail (OFL_IS_CHECKLIST (self));

  /* The check that failed with the cause that won keeps its line; other
   * failures follow from it (no workspaces for a deactivated user), so
   * those lines, and any that never finished, read "Not checked" rather
   * than a second, lesser reason. */
  for (guint i = 0; i < OFL_VERIFY_N_STEPS; i++)
    {
      OflCheckRow *row = self->rows[i];
      OflCheckState state = ofl_check_row_get_state (row);
      const GError *row_error = ofl_check_row_get_error (row);

      if (error == NULL)
        {
          if (state == OFL_CHECK_WAITING)
            ofl_check_row_set_state (row, OFL_CHECK_OK, NULL, NULL);
        }
      else if (state == OFL_CHECK_FAILED && row_error != NULL && !shown_in_row &&
               g_error_matches (row_error, error->domain, error->code))
        {
          /* The reason is said once, at the top; the line says which check. */
          g_autofree char *title = g_strdup (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));

          shown_in_row = TRUE;
          ofl_check_row_set_state (row, OFL_CHECK_FAILED, title, NULL);
        }
      else if (state == OFL_CHECK_FAILED || state == OFL_CHECK_WAITING)
        /* Translators: the state of one check in the checklist (token, account, user, workspaces) */
        ofl_check_row_set_state (row, OFL_CHECK_SKIPPED, NULL, _("Not checked"));
    }
}

void
ofl_checklist_stop (OflChecklist *self)
{
  g_return_if_fail (OFL_IS_CHECKLIST (self));

  for (guint i = 0; i < OFL_VERIFY_N_STEPS; i++)
    if (ofl_check_row_get_state (self->rows[i]) == OFL_CHECK_WAITING)
      /* Translators: the state of one check in the checklist, after Stop Checking */
      ofl_check_row_set_state (self->rows[i], OFL_CHECK_SKIPPED, NULL, _("Cancelled"));
}

static GtkWidget *
find_list_box (GtkWidget *widget)
{
  if (GTK_IS_LIST_BOX (widget))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_list_box (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The list is shown as the checks start, and GTK sends no event for a
 * widget not realized yet: say it again once the list is on screen (an
 * assistive technology that has not looked at the list yet still hears
 * nothing, but reads the state when it does). */
static void
list_mapped_cb (OflChecklist *self)
{
  ofl_checklist_set_busy (self, self->busy);
}

static void
ofl_checklist_constructed (GObject *object)
{
  OflChecklist *self = OFL_CHECKLIST (object);

  G_OBJECT_CLASS (ofl_checklist_parent_class)->constructed (object);

  for (guint i = 0; i < OFL_VERIFY_N_STEPS; i++)
    {
      self->rows[i] = OFL_CHECK_ROW (ofl_check_row_new (i));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (self->rows[i]));
    }

  self->list = find_list_box (GTK_WIDGET (self));
  if (self->list != NULL)
    g_signal_connect_object (self->list, "map", G_CALLBACK (list_mapped_cb), self, G_CONNECT_SWAPPED);
}

/* libadwaita 1.7 labels a group's list by a title label that GTK 4.18
 * reads as empty: the list is named as the group, as text. */
static void
title_changed_cb (OflChecklist *self)
{
  if (self->list == NULL)
    return;

  gtk_accessible_reset_relation (GTK_ACCESSIBLE (self->list), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (self)),
                                  -1);
}

static void
ofl_checklist_class_init (OflChecklistClass *klass)
{
  G_OBJECT_CLASS (klass)->constructed = ofl_checklist_constructed;
}

static void
ofl_checklist_init (OflChecklist *self)
{
  g_signal_connect (self, "notify::title", G_CALLBACK (title_changed_cb), NULL);
}
