"""What every runtime of the assistant shares (Rasa actions on Python 3.10, web services on 3.11): stdlib only.

settings   the one way to configure a service: typed readers over an environ mapping (Env, SettingsError)
layout     the .run/ folder, the services' ports and default URLs
clock      the assistant's one clock (ASSISTANT_TODAY)
logmask    phone numbers masked in every log record
private    files and folders only their owner may read
"""
