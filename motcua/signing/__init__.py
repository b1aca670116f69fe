import warnings

from cryptography.utils import CryptographyDeprecationWarning

# pyHanko imports the DSA key types only to recognise them; MotCua neither signs with nor accepts DSA.
warnings.filterwarnings("ignore", message="DSA is deprecated", category=CryptographyDeprecationWarning)
