/* ofl-a11y.c: small accessibility helpers for GTK 4.8
 *
 * GTK 4.8 names a button whose label has a mnemonic from its label
 * property (the raw label, "_Start") followed by the widgets it is
 * labelled by (its label, "Start"), so a screen reader reads every main
 * button twice, underscore and all; a check button with a label of its
 * own is named the same way. An explicit accessible label (the label's text, as shown, without
 * the underscore) is what a person hears instead; it follows the label
 * when the label changes (the connect page's fix button). The label's own
 * translated text is used, so there is no second string to translate that
 * could drift from the one on screen. */

#include "config.h"

#include <adwaita.h>

#include "ofl-a11y.h"

#define NAMED_KEY "ofl-a11y-named-from"

static GtkLabel *
first_label (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *label;

      if (GTK_IS_LABEL (child))
        return GTK_LABEL (child);
      label = first_label (child);
      if (label != NULL)
        return label;
    }

  return NULL;
}

static void
sync_name (GtkWidget *control)
{
  GtkLabel *label = first_label (control);
  const char *text = label ? gtk_label_get_text (label) : NULL;

  /* The button's label widget may have been replaced (gtk_button_set_label
   * on a button with another child): follow the new one. */
  if (label != NULL && g_object_get_data (G_OBJECT (control), NAMED_KEY) != label)
    {
      g_object_set_data (G_OBJECT (control), NAMED_KEY, label);
      g_signal_connect_object (label, "notify::label", G_CALLBACK (sync_name), control, G_CONNECT_SWAPPED);
    }

  /* gtk_button_set_label () sets the raw label as the accessible label
   * itself, after the label widget changed: follow the button too. */
  if (g_object_get_data (G_OBJECT (control), NAMED_KEY) != NULL &&
      g_object_get_data (G_OBJECT (control), NAMED_KEY "-self") == NULL)
    {
      g_object_set_data (G_OBJECT (control), NAMED_KEY "-self", control);
      g_signal_connect (control, "notify::label", G_CALLBACK (sync_name), NULL);
    }

  /* GTK 4.8 reads the label property and then every labelled-by widget:
   * the text once is the label, with no relation to read it again. */
  if (text != NULL && *text != '\0')
    {
      gtk_accessible_update_property (GTK_ACCESSIBLE (control), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
      gtk_accessible_reset_relation (GTK_ACCESSIBLE (control), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
    }
}

/**
 * ofl_a11y_name_mnemonic_controls:
 * @root: a widget tree
 *
 * Gives every button under @root whose own label has a mnemonic, and
 * every check button with a label, an accessible label of the text it
 * shows, kept up to date when the label changes, and no labelled-by
 * relation that would read it again. Calling this again is harmless.
 */
void
ofl_a11y_name_mnemonic_controls (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  if ((GTK_IS_BUTTON (root) || GTK_IS_CHECK_BUTTON (root)) &&
      g_object_get_data (G_OBJECT (root), NAMED_KEY) == NULL)
    {
      /* Only GtkButton's own label has the problem: a button with an
       * AdwButtonContent is named by it, once. */
      if ((GTK_IS_BUTTON (root) && gtk_button_get_use_underline (GTK_BUTTON (root)) &&
           gtk_button_get_label (GTK_BUTTON (root)) != NULL) ||
          (GTK_IS_CHECK_BUTTON (root) && gtk_check_button_get_label (GTK_CHECK_BUTTON (root)) != NULL))
        sync_name (root);
      return;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    ofl_a11y_name_mnemonic_controls (child);
}

/* "API _Token" as a person hears it: "API Token" ("__" is one "_"). */
static char *
strip_mnemonic (const char *text)
{
  GString *plain = g_string_new (NULL);

  for (const char *p = text ? text : ""; *p != '\0'; p++)
    {
      if (*p == '_')
        {
          p++;
          if (*p == '\0')
            break;
        }
      g_string_append_c (plain, *p);
    }

  return g_string_free (plain, FALSE);
}

static void
entry_row_title_cb (GtkWidget *row)
{
  GtkWidget *text = g_object_get_data (G_OBJECT (row), "ofl-a11y-text");
  const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
  g_autofree char *name = adw_preferences_row_get_use_underline (ADW_PREFERENCES_ROW (row))
                          ? strip_mnemonic (title) : g_strdup (title);

  gtk_accessible_update_property (GTK_ACCESSIBLE (text), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

/**
 * ofl_a11y_expose_entry_row:
 * @row: an AdwEntryRow (or AdwPasswordEntryRow), not realized yet
 *
 * With libadwaita 1.2 and GTK 4.8 an entry row is a text box that never
 * has the focus: its inner GtkText does, and that has no accessible role,
 * so no focus event reaches AT-SPI and no accessible is FOCUSED while a
 * person types into the row (GtkEntry avoids this by passing its text's
 * focus on through GTK-private API). This makes the inner text the text
 * box a screen reader sees, named by the row's title; the row itself
 * should be a group (set its accessible-role in the template), or there
 * are two text boxes by the same name. Field states and descriptions go
 * to ofl_a11y_field_accessible().
 *
 * Returns: (transfer none): the inner text, or %NULL
 */
GtkWidget *
ofl_a11y_expose_entry_row (GtkWidget *row)
{
  GtkEditable *text;

  g_return_val_if_fail (ADW_IS_ENTRY_ROW (row), NULL);
  g_return_val_if_fail (!gtk_widget_get_realized (row), NULL);

  text = gtk_editable_get_delegate (GTK_EDITABLE (row));
  if (!GTK_IS_TEXT (text))
    return NULL;

  /* The role can be given until the widget's accessible is realized. */
  g_object_set (text, "accessible-role", GTK_ACCESSIBLE_ROLE_TEXT_BOX, NULL);
  g_object_set_data (G_OBJECT (row), "ofl-a11y-text", text);
  g_signal_connect (row, "notify::title", G_CALLBACK (entry_row_title_cb), NULL);
  g_signal_connect (row, "notify::use-underline", G_CALLBACK (entry_row_title_cb), NULL);
  entry_row_title_cb (row);

  return GTK_WIDGET (text);
}

/**
 * ofl_a11y_field_accessible:
 * @field: a field
 *
 * Returns: (transfer none): what a screen reader sees as @field: the inner
 *   text of an entry row given to ofl_a11y_expose_entry_row(), or @field
 */
GtkWidget *
ofl_a11y_field_accessible (GtkWidget *field)
{
  GtkWidget *text = g_object_get_data (G_OBJECT (field), "ofl-a11y-text");

  return text ? text : field;
}
