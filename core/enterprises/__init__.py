"""Enterprise files (一企一档): the records, creating and changing them in scope, USCC validation, bulk import, and their API."""
