"""Saves what a widget shows as a PNG: Gtk.WidgetPaintable → Gtk.Snapshot
→ render node → the window's Gsk renderer (render_texture) →
Gdk.Texture.save_to_png.

PyGObject 3.42 (Debian 12) cannot pass a GskRenderNode between Python and
C ("No means to translate argument … 'GskTransformNode'"), so the three
calls that take or return a node go through ctypes on libgtk-4 itself; the
rest is ordinary PyGObject."""
import ctypes

import gi

gi.require_version("Gtk", "4.0")
from gi.repository import Gtk  # noqa: E402

_gtk = ctypes.CDLL("libgtk-4.so.1")
_gtk.gtk_snapshot_to_node.restype = ctypes.c_void_p
_gtk.gtk_snapshot_to_node.argtypes = [ctypes.c_void_p]
_gtk.gsk_renderer_render_texture.restype = ctypes.c_void_p
_gtk.gsk_renderer_render_texture.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
_gtk.gdk_texture_save_to_png.restype = ctypes.c_int
_gtk.gdk_texture_save_to_png.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
_gtk.gsk_render_node_unref.argtypes = [ctypes.c_void_p]
_gtk.g_object_unref.argtypes = [ctypes.c_void_p]
_capsule_pointer = ctypes.pythonapi.PyCapsule_GetPointer
_capsule_pointer.restype = ctypes.c_void_p
_capsule_pointer.argtypes = [ctypes.py_object, ctypes.c_char_p]


def _pointer(gobject):
    return _capsule_pointer(gobject.__gpointer__, None)


def save_widget_png(widget, path):
    """Renders @widget (mapped, in a realized window) into @path; returns
    False when it has nothing to show yet."""
    width, height = widget.get_width(), widget.get_height()
    native = widget.get_native()
    if width <= 0 or height <= 0 or native is None or native.get_renderer() is None:
        return False
    snapshot = Gtk.Snapshot.new()
    Gtk.WidgetPaintable.new(widget).snapshot(snapshot, width, height)
    node = _gtk.gtk_snapshot_to_node(_pointer(snapshot))
    if not node:
        return False
    try:
        texture = _gtk.gsk_renderer_render_texture(_pointer(native.get_renderer()), node, None)
    finally:
        _gtk.gsk_render_node_unref(node)
    if not texture:
        return False
    try:
        return bool(_gtk.gdk_texture_save_to_png(texture, path.encode()))
    finally:
        _gtk.g_object_unref(texture)
