"""Saves what a widget shows as a PNG: Gtk.WidgetPaintable → Gtk.Snapshot
→ render node → the window's Gsk renderer → Gdk.Texture.save_to_png."""
import gi

gi.require_version("Gtk", "4.0")
gi.require_version("Graphene", "1.0")
from gi.repository import Graphene, Gtk  # noqa: E402


def save_widget_png(widget, path):
    """Renders @widget (mapped, in a realized window) into @path; returns
    the texture, or None when it has nothing to show yet."""
    paintable = Gtk.WidgetPaintable.new(widget)
    width, height = widget.get_width(), widget.get_height()
    if width <= 0 or height <= 0:
        return None
    snapshot = Gtk.Snapshot.new()
    paintable.snapshot(snapshot, width, height)
    node = snapshot.to_node()
    if node is None:
        return None
    renderer = widget.get_native().get_renderer()
    texture = renderer.render_texture(node, Graphene.Rect().init(0, 0, width, height))
    if not texture.save_to_png(path):
        return None
    return texture
