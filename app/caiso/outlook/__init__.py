"""CAISO's Today's Outlook data files on www.caiso.com, from the CAISO market's system."""
