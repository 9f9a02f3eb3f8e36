"""parsipas: analysis and reporting of Vietnam's provincial PAR INDEX and SIPAS."""

__version__ = "0.1.0"
