"""placeholder"""
class DownloadError(Exception):
    pass
