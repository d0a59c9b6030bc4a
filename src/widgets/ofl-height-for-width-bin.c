/* ofl-height-for-width-bin.c: a bin laid out height-for-width only
 *
 * Its child is measured for its width without a height, and centred
 * vertically at its natural height when there is room. GTK 4.8 often asks
 * for a width at a given height instead: to align a widget whose request
 * mode is not height-for-width (a box of clamps is one), and in GtkGrid's
 * allocation. A wrapping label answers that with a binary search of text
 * layouts, on every allocation, so the welcome page laid its sentences out
 * some 150 times before its first frame. Text that only grows downwards
 * (a scrolling page, a row's title and subtitle) goes in one of these,
 * with valign "fill", and the bin centres it. */

#include "config.h"

#include "ofl-height-for-width-bin.h"

struct _OflHeightForWidthBin
{
  GtkWidget  parent_instance;

  GtkWidget *child;
};

static void ofl_height_for_width_bin_buildable_init (GtkBuildableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (OflHeightForWidthBin, ofl_height_for_width_bin, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_BUILDABLE,
                                                      ofl_height_for_width_bin_buildable_init))

enum {
  PROP_0,
  PROP_CHILD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GtkBuildableIface *parent_buildable_iface;

static void
ofl_height_for_width_bin_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  OflHeightForWidthBin *self = OFL_HEIGHT_FOR_WIDTH_BIN (widget);

  if (self->child == NULL || !gtk_widget_should_layout (self->child))
    return;

  /* The width does not depend on the height: text grows downwards. */
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    for_size = -1;

  gtk_widget_measure (self->child, orientation, for_size,
                      minimum, natural, minimum_baseline, natural_baseline);
}

static void
ofl_height_for_width_bin_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  OflHeightForWidthBin *self = OFL_HEIGHT_FOR_WIDTH_BIN (widget);
  int child_height;

  if (self->child == NULL || !gtk_widget_should_layout (self->child))
    return;

  gtk_widget_measure (self->child, GTK_ORIENTATION_VERTICAL, width,
                      NULL, &child_height, NULL, NULL);
  child_height = MIN (child_height, height);

  gtk_widget_allocate (self->child, width, child_height, -1,
                       gsk_transform_translate (NULL, &GRAPHENE_POINT_INIT (0, (height - child_height) / 2)));
}

static void
ofl_height_for_width_bin_compute_expand (GtkWidget *widget,
                                  gboolean  *hexpand,
                                  gboolean  *vexpand)
{
  OflHeightForWidthBin *self = OFL_HEIGHT_FOR_WIDTH_BIN (widget);

  *hexpand = self->child != NULL && gtk_widget_compute_expand (self->child, GTK_ORIENTATION_HORIZONTAL);
  *vexpand = self->child != NULL && gtk_widget_compute_expand (self->child, GTK_ORIENTATION_VERTICAL);
}

static GtkSizeRequestMode
ofl_height_for_width_bin_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
ofl_height_for_width_bin_buildable_add_child (GtkBuildable *buildable,
                                       GtkBuilder   *builder,
                                       GObject      *child,
                                       const char   *type)
{
  if (GTK_IS_WIDGET (child))
    ofl_height_for_width_bin_set_child (OFL_HEIGHT_FOR_WIDTH_BIN (buildable), GTK_WIDGET (child));
  else
    parent_buildable_iface->add_child (buildable, builder, child, type);
}

static void
ofl_height_for_width_bin_buildable_init (GtkBuildableIface *iface)
{
  parent_buildable_iface = g_type_interface_peek_parent (iface);
  iface->add_child = ofl_height_for_width_bin_buildable_add_child;
}

static void
ofl_height_for_width_bin_dispose (GObject *object)
{
  OflHeightForWidthBin *self = OFL_HEIGHT_FOR_WIDTH_BIN (object);

  g_clear_pointer (&self->child, gtk_widget_unparent);

  G_OBJECT_CLASS (ofl_height_for_width_bin_parent_class)->dispose (object);
}

static void
ofl_height_for_width_bin_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  OflHeightForWidthBin *self = OFL_HEIGHT_FOR_WIDTH_BIN (object);

  switch (prop_id)
    {
    case PROP_CHILD:
      g_value_set_object (value, self->child);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ofl_height_for_width_bin_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  OflHeightForWidthBin *self = OFL_HEIGHT_FOR_WIDTH_BIN (object);

  switch (prop_id)
    {
    case PROP_CHILD:
      ofl_height_for_width_bin_set_child (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ofl_height_for_width_bin_class_init (OflHeightForWidthBinClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ofl_height_for_width_bin_dispose;
  object_class->get_property = ofl_height_for_width_bin_get_property;
  object_class->set_property = ofl_height_for_width_bin_set_property;

  widget_class->measure = ofl_height_for_width_bin_measure;
  widget_class->size_allocate = ofl_height_for_width_bin_size_allocate;
  widget_class->get_request_mode = ofl_height_for_width_bin_get_request_mode;
  widget_class->compute_expand = ofl_height_for_width_bin_compute_expand;

  properties[PROP_CHILD] =
    g_param_spec_object ("child", NULL, NULL, GTK_TYPE_WIDGET,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "heightforwidthbin");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GENERIC);
}

static void
ofl_height_for_width_bin_init (OflHeightForWidthBin *self)
{
}

GtkWidget *
ofl_height_for_width_bin_new (void)
{
  return g_object_new (OFL_TYPE_HEIGHT_FOR_WIDTH_BIN, NULL);
}

GtkWidget *
ofl_height_for_width_bin_get_child (OflHeightForWidthBin *self)
{
  g_return_val_if_fail (OFL_IS_HEIGHT_FOR_WIDTH_BIN (self), NULL);

  return self->child;
}

void
ofl_height_for_width_bin_set_child (OflHeightForWidthBin *self,
                             GtkWidget       *child)
{
  g_return_if_fail (OFL_IS_HEIGHT_FOR_WIDTH_BIN (self));
  g_return_if_fail (child == NULL || GTK_IS_WIDGET (child));

  if (self->child == child)
    return;

  g_clear_pointer (&self->child, gtk_widget_unparent);
  if (child != NULL)
    {
      self->child = child;
      gtk_widget_set_parent (child, GTK_WIDGET (self));
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHILD]);
}
