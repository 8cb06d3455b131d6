"""The pygame shell: window, loop, scenes, input, assets, audio and the platform seam."""
