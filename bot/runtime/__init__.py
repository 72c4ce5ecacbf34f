"""Machinery that runs by itself once the bot is up: the paced post updater, the Jobs port
over APScheduler, and the workers that apply RSVP reactions and carry out what they call for."""
