/** The product's name as the OS shows it; also the name of the user-data folder. */
export const productName = 'Connection Utility';
