"""Write use-cases of the disclosure domain, one `<entity>_<action>` function each."""
