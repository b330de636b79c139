"""Example graphs, icons and styles, read through gradstudio.resources_path()."""
